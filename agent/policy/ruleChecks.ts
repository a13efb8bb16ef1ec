// Every rule of the policies selecting a pod in one direction, checked against a connection's peer and port:
// what a reader needs to see why none of them allowed it.
import type { V1LabelSelector, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '@kubernetes/client-node';
import type { PolicyDirection, PolicyRuleCheck } from '../../model/events';
import { objectKey } from '../kube/model';
import { ingressPeers, policiesSelecting, type Connection } from './directionVerdict';
import type { PolicyIndex } from './policyIndex';
import { peerMatches } from './peers';
import { portsMatch } from './ports';

export function ruleChecks(index: PolicyIndex, connection: Connection, direction: PolicyDirection): PolicyRuleCheck[] {
  const subject = direction === 'egress' ? connection.source : connection.destination;
  const peer = direction === 'egress' ? connection.destination : connection.source;
  const checks: PolicyRuleCheck[] = [];
  for (const policy of policiesSelecting(index, subject, direction)) {
    const name = objectKey(policy.metadata);
    const namespace = policy.metadata?.namespace ?? 'default';
    const rules =
      direction === 'ingress'
        ? (policy.spec?.ingress ?? []).map((r) => ({ peers: ingressPeers(r), ports: r.ports }))
        : (policy.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
    if (rules.length === 0) {
      checks.push({
        policy: name,
        rule: 0,
        peers: 'no peer',
        ports: 'no port',
        peerMatches: false,
        portMatches: false,
      });
    }
    rules.forEach((rule, i) => {
      const anyPeer = !rule.peers || rule.peers.length === 0;
      checks.push({
        policy: name,
        rule: i + 1,
        peers: anyPeer ? 'any peer' : rule.peers!.map((p) => describePeer(p, namespace)).join('; '),
        ports: describePorts(rule.ports),
        peerMatches: anyPeer || rule.peers!.some((p) => peerMatches(p, namespace, peer)),
        portMatches: portsMatch(rule.ports, connection.port, connection.protocol, connection.destination.pod),
      });
    });
  }
  return checks;
}

function describeSelector(selector: V1LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map((e) =>
    e.values?.length ? `${e.key} ${e.operator} (${e.values.join(', ')})` : `${e.key} ${e.operator}`
  );
  return [...labels, ...expressions].join(',') || 'all';
}

function describePeer(peer: V1NetworkPolicyPeer, policyNamespace: string): string {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : '';
    return `${peer.ipBlock.cidr}${except}`;
  }
  const pods = peer.podSelector ? describeSelector(peer.podSelector) : 'all';
  const namespaces = peer.namespaceSelector
    ? `namespaces ${describeSelector(peer.namespaceSelector)}`
    : `namespace ${policyNamespace}`;
  return `pods ${pods} in ${namespaces}`;
}

function describePorts(ports: V1NetworkPolicyPort[] | undefined): string {
  if (!ports || ports.length === 0) {
    return 'any port';
  }
  return ports
    .map((p) => {
      const protocol = p.protocol ?? 'TCP';
      if (p.port === undefined || p.port === null) {
        return `any ${protocol} port`;
      }
      return `${p.port}${p.endPort ? `-${p.endPort}` : ''}/${protocol}`;
    })
    .join(', ');
}
