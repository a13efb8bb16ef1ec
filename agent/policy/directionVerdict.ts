// One direction of a connection under networking.k8s.io/v1 semantics: the egress of the source pod or the
// ingress of the destination pod. Policies are additive: any rule of any selecting policy allowing is enough.
import type {
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
} from '@kubernetes/client-node';
import type { DirectionVerdict, PolicyDirection } from '../../model/events';
import type { PolicyEndpoint } from './endpoint';
import { peerMatches } from './peers';
import { policyTypes, type PolicyIndex } from './policyIndex';
import { portsMatch, type PolicyProtocol } from './ports';
import { describeLabels, selectorMatches } from './selectors';
import { objectKey } from '../kube/model';

export interface Connection {
  source: PolicyEndpoint;
  destination: PolicyEndpoint;
  port: number;
  protocol: PolicyProtocol;
}

// An ingress rule's `from` or an egress rule's `to`, with its ports.
interface PolicyRule {
  peers?: V1NetworkPolicyPeer[];
  ports?: V1NetworkPolicyPort[];
}

// The typed client renames `from` to `_from` when it deserializes; watch events and YAML files keep `from`.
export function ingressPeers(rule: V1NetworkPolicyIngressRule): V1NetworkPolicyPeer[] | undefined {
  return rule._from ?? (rule as { from?: V1NetworkPolicyPeer[] }).from;
}

export function policiesSelecting(
  index: PolicyIndex,
  endpoint: PolicyEndpoint,
  direction: PolicyDirection
): V1NetworkPolicy[] {
  if (!endpoint.pod || endpoint.hostNetwork || !endpoint.namespace) {
    return [];
  }
  const type = direction === 'ingress' ? 'Ingress' : 'Egress';
  return index
    .policiesIn(endpoint.namespace)
    .filter(
      (policy) => policyTypes(policy).includes(type) && selectorMatches(policy.spec?.podSelector ?? {}, endpoint.labels)
    );
}

export function evaluateDirection(
  index: PolicyIndex,
  connection: Connection,
  direction: PolicyDirection
): DirectionVerdict {
  const subject = direction === 'egress' ? connection.source : connection.destination;
  const peer = direction === 'egress' ? connection.destination : connection.source;
  if (!subject.pod) {
    const what = subject.isNodeAddress ? `the address of node ${subject.node}` : 'not a pod';
    return {
      allowed: null,
      policies: [],
      reason: `${subject.ip ?? 'the endpoint'} is ${what}; NetworkPolicy does not apply`,
    };
  }
  if (subject.hostNetwork) {
    return {
      allowed: null,
      policies: [],
      reason: `${subject.podKey} uses the host network; NetworkPolicy does not apply`,
    };
  }
  const selecting = policiesSelecting(index, subject, direction);
  const names = selecting.map((policy) => objectKey(policy.metadata));
  if (selecting.length === 0) {
    return { allowed: true, policies: [], reason: `no NetworkPolicy selects ${subject.podKey} for ${direction}` };
  }
  if (direction === 'ingress' && peer.isNodeAddress && peer.node !== undefined && peer.node === subject.node) {
    return {
      allowed: true,
      policies: names,
      reason: `allowed: traffic from its own node ${peer.node} is always allowed`,
    };
  }
  for (const policy of selecting) {
    const rules: PolicyRule[] =
      direction === 'ingress'
        ? (policy.spec?.ingress ?? []).map((r) => ({ peers: ingressPeers(r), ports: r.ports }))
        : (policy.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    const namespace = policy.metadata?.namespace ?? 'default';
    for (let i = 0; i < rules.length; i++) {
      const { peers, ...rule } = rules[i];
      // Named ports always resolve on the destination pod, whichever side the policy selects.
      if (!portsMatch(rule.ports, connection.port, connection.protocol, connection.destination.pod)) {
        continue;
      }
      // A rule without peers (absent or empty list) admits every peer.
      if (!peers || peers.length === 0 || peers.some((p) => peerMatches(p, namespace, peer))) {
        return {
          allowed: true,
          policies: names,
          reason: `allowed by ${objectKey(policy.metadata)} ${direction} rule ${i + 1}`,
        };
      }
    }
  }
  const target = direction === 'egress' ? `egress to ${describeEndpoint(peer)}` : describeEndpoint(peer);
  return {
    allowed: false,
    policies: names,
    reason: `no rule in [${names.join(', ')}] allows ${target} on ${connection.port}/${connection.protocol}`,
  };
}

export function describeEndpoint(endpoint: PolicyEndpoint): string {
  if (endpoint.pod && !endpoint.hostNetwork) {
    const labels = describeLabels(endpoint.labels);
    return `${labels || endpoint.pod.metadata?.name} (${endpoint.namespace})`;
  }
  if (endpoint.isNodeAddress) {
    return `${endpoint.ip} (node ${endpoint.node})`;
  }
  return endpoint.ip ?? 'unknown endpoint';
}
