// NetworkPolicy explainer: why a connection between two endpoints is allowed or denied under
// networking.k8s.io/v1 NetworkPolicy semantics.
//
//   explainConnection(cluster, from, to, port, protocol = 'TCP') → PolicyExplanation
//     cluster   a ClusterSnapshot (agent/kube: loadClusterFile(path), or ClusterWatcher.snapshot())
//     from, to  "NS/POD", an IP address, or an event endpoint {ip, namespace?, pod?} (NetworkEvent.src/dst fit)
//     port      destination port; protocol TCP | UDP | SCTP (case-insensitive)
//   → { allowed, egress: {allowed, policies, reason}, ingress: {…} }; `allowed` of a direction is null where
//     that end is not a policy-enforced pod (an external IP, a node, a host-network pod).
//   Throws PolicyInputError for an unknown pod, a bad port or protocol.
//
//   explainDrop(cluster, event) → PolicyExplanation | undefined    for a `drop` NetworkEvent (its dst.port, transport);
//   suggestPolicyFix(cluster, from, to, port, protocol) → { confirmed, suggestions }: per denying direction the
//     narrowest NetworkPolicy change that allows the connection without changing any pod's isolation, confirmed
//     by explaining again against the changed cluster (applySuggestions).
//   attachDropExplanation(cluster, event) sets event.drop.policy (and drop.suggestions for a denial). Unknown pods leave the drop unexplained, no throw.
//
// Evaluation indexes the snapshot once (cached per snapshot object), so explaining every drop is cheap.
export { explainConnection, policyIndexFor, PolicyInputError } from './explain';
export type { ConnectionEndRef } from './explain';
export { attachDropExplanation, explainDrop } from './dropExplanation';
export { applySuggestions, suggestPolicyFix } from './fixSuggestion';
export { policyTypes } from './policyIndex';
export { parseCidr, parseIp, cidrContains } from './cidr';
export { selectorMatches } from './selectors';
