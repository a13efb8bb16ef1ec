// The smallest NetworkPolicy change that allows a denied connection: per denying direction, a narrow new policy
// selecting the pod by its workload's labels with one rule for the peer and port, or, where such a policy would
// newly isolate another pod, one rule added to a policy that already selects the pod. Every suggestion is
// confirmed by explaining the connection again against the changed cluster.
import type {
  V1LabelSelector,
  V1LabelSelectorRequirement,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { PolicyDirection, PolicySuggestion } from '../../model/events';
import { objectKey, type ClusterSnapshot } from '../kube/model';
import { policiesSelecting } from './directionVerdict';
import type { PolicyEndpoint } from './endpoint';
import { explainConnection, policyIndexFor, resolveConnection, type ConnectionEndRef } from './explain';
import type { PolicyIndex } from './policyIndex';
import { describeLabels, selectorMatches, workloadLabels } from './selectors';

export interface FixResult {
  // Whether the connection is allowed once every suggestion is applied (false only if no narrow change exists).
  confirmed: boolean;
  suggestions: PolicySuggestion[];
}

export function suggestPolicyFix(
  cluster: ClusterSnapshot,
  from: ConnectionEndRef,
  to: ConnectionEndRef,
  port: number,
  protocol = 'TCP'
): FixResult {
  const before = explainConnection(cluster, from, to, port, protocol);
  if (before.allowed) {
    return { confirmed: true, suggestions: [] };
  }
  const index = policyIndexFor(cluster);
  const connection = resolveConnection(index, from, to, port, protocol);
  const suggestions: PolicySuggestion[] = [];
  for (const direction of ['egress', 'ingress'] as const) {
    if (before[direction].allowed !== false) {
      continue;
    }
    const subject = direction === 'egress' ? connection.source : connection.destination;
    const peer = direction === 'egress' ? connection.destination : connection.source;
    const suggestion =
      newPolicySuggestion(index, direction, subject, peer, port, connection.protocol) ??
      editSuggestion(index, direction, subject, peer, port, connection.protocol);
    if (suggestion) {
      suggestions.push(suggestion);
    }
  }
  const after = explainConnection(applySuggestions(cluster, suggestions), from, to, port, protocol);
  return after.allowed ? { confirmed: true, suggestions } : { confirmed: false, suggestions: [] };
}

// The cluster with each suggested manifest added, or replacing the policy of the same namespace/name.
export function applySuggestions(cluster: ClusterSnapshot, suggestions: PolicySuggestion[]): ClusterSnapshot {
  const changed = new Map(suggestions.map((s) => [s.policy, s.manifest as V1NetworkPolicy]));
  const kept = cluster.networkPolicies.filter((policy) => !changed.has(objectKey(policy.metadata)));
  return { ...cluster, networkPolicies: [...kept, ...changed.values()] };
}

function newPolicySuggestion(
  index: PolicyIndex,
  direction: PolicyDirection,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint,
  port: number,
  protocol: string
): PolicySuggestion | undefined {
  const namespace = subject.namespace!;
  const labels = workloadLabels(subject.labels);
  if (Object.keys(labels).length === 0) {
    // An empty selector would select (and isolate) every pod of the namespace.
    return undefined;
  }
  const podSelector = narrowedSelector(index, direction, subject, labels);
  if (!podSelector) {
    return undefined;
  }
  const rule = { ports: [{ port, protocol }], [direction === 'ingress' ? 'from' : 'to']: [peerSelector(peer)] };
  const name = policyName(direction, subject, peer, port, protocol);
  const manifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: {
      podSelector,
      policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
      [direction]: [rule],
    },
  };
  const what = describeLabels(subject.labels) || subject.podKey;
  const description =
    direction === 'ingress'
      ? `create ${namespace}/${name}: allow ${describePeer(peer)} into ${what} on ${port}/${protocol}`
      : `create ${namespace}/${name}: allow ${what} egress to ${describePeer(peer)} on ${port}/${protocol}`;
  return suggestion(direction, 'create', manifest, description);
}

// The subject's workload labels, excluding any pod they also match that no policy isolates yet in this
// direction (a new policy selecting it would cut all its other traffic). Undefined when one cannot be excluded.
function narrowedSelector(
  index: PolicyIndex,
  direction: PolicyDirection,
  subject: PolicyEndpoint,
  labels: Record<string, string>
): V1LabelSelector | undefined {
  const exclusions: V1LabelSelectorRequirement[] = [];
  for (const pod of index.livePodsIn(subject.namespace!)) {
    const podLabels = pod.metadata?.labels ?? {};
    if (pod === subject.pod || pod.spec?.hostNetwork || !selectorMatches({ matchLabels: labels }, podLabels)) {
      continue;
    }
    const endpoint = index.endpointForPod(pod);
    if (policiesSelecting(index, endpoint, direction).length > 0) {
      continue;
    }
    if (exclusions.some((requirement) => Object.prototype.hasOwnProperty.call(podLabels, requirement.key))) {
      continue;
    }
    const extra = Object.keys(workloadLabels(podLabels)).find((key) => !(key in subject.labels));
    if (!extra) {
      return undefined;
    }
    exclusions.push({ key: extra, operator: 'DoesNotExist' });
  }
  return exclusions.length > 0 ? { matchLabels: labels, matchExpressions: exclusions } : { matchLabels: labels };
}

// One rule added to the policy selecting the subject that selects the fewest pods: isolation stays as it was.
function editSuggestion(
  index: PolicyIndex,
  direction: PolicyDirection,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint,
  port: number,
  protocol: string
): PolicySuggestion | undefined {
  const candidates = policiesSelecting(index, subject, direction);
  const reach = (policy: V1NetworkPolicy) =>
    index
      .livePodsIn(subject.namespace!)
      .filter((pod) => selectorMatches(policy.spec?.podSelector ?? {}, pod.metadata?.labels ?? {})).length;
  const target = [...candidates].sort((a, b) => reach(a) - reach(b))[0];
  if (!target) {
    return undefined;
  }
  const rule = { ports: [{ port, protocol }], [direction === 'ingress' ? 'from' : 'to']: [peerSelector(peer)] };
  const spec = { ...(target.spec as unknown as Record<string, unknown>) };
  // The typed client's `_from` is written back as the API's `from`.
  const existing = ((spec[direction] as Array<Record<string, unknown>> | undefined) ?? []).map(({ _from, ...rest }) =>
    _from ? { from: _from, ...rest } : rest
  );
  spec[direction] = [...existing, rule];
  const key = objectKey(target.metadata);
  const manifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: target.metadata?.name, namespace: target.metadata?.namespace ?? 'default' },
    spec,
  };
  const description = `edit ${key}: add an ${direction} rule allowing ${
    direction === 'ingress' ? `${describePeer(peer)} in` : `${describePeer(peer)} out`
  } on ${port}/${protocol}`;
  return suggestion(direction, 'edit', manifest, description);
}

function suggestion(
  direction: PolicyDirection,
  change: 'create' | 'edit',
  manifest: { metadata: { name?: string; namespace?: string } } & Record<string, unknown>,
  description: string
): PolicySuggestion {
  return {
    direction,
    change,
    policy: objectKey(manifest.metadata),
    description,
    manifest,
    yaml: stringify(manifest),
  };
}

// The peer by namespace and workload labels; an address block of one IP where the peer is not a labelled pod.
function peerSelector(peer: PolicyEndpoint): V1NetworkPolicyPeer {
  const labels = workloadLabels(peer.labels);
  if (peer.pod && !peer.hostNetwork && Object.keys(labels).length > 0) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace! } },
      podSelector: { matchLabels: labels },
    };
  }
  return { ipBlock: { cidr: `${peer.ip}/${peer.ip?.includes(':') ? 128 : 32}` } };
}

function describePeer(peer: PolicyEndpoint): string {
  const labels = describeLabels(peer.labels);
  if (peer.pod && !peer.hostNetwork && labels) {
    return `${labels} (${peer.namespace})`;
  }
  return peer.ip ?? 'the peer';
}

// A DNS-1123 name that says what the policy allows, at most 63 characters.
function policyName(
  direction: PolicyDirection,
  subject: PolicyEndpoint,
  peer: PolicyEndpoint,
  port: number,
  protocol: string
): string {
  const short = (endpoint: PolicyEndpoint) =>
    endpoint.pod ? workloadName(endpoint) : `ip-${(endpoint.ip ?? 'peer').replace(/[.:]/g, '-')}`;
  const raw =
    direction === 'ingress'
      ? `${short(subject)}-allow-${short(peer)}-${port}-${protocol}`
      : `${short(subject)}-egress-${short(peer)}-${port}-${protocol}`;
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}

function workloadName(endpoint: PolicyEndpoint): string {
  const labels = endpoint.labels;
  return (
    labels['app.kubernetes.io/name'] ??
    labels.app ??
    labels['k8s-app'] ??
    Object.values(workloadLabels(labels))[0] ??
    endpoint.pod?.metadata?.name ??
    'pod'
  );
}
