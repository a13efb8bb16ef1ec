// Whether one NetworkPolicyPeer (from/to entry) covers an endpoint.
import type { V1IPBlock, V1NetworkPolicyPeer } from '@kubernetes/client-node';
import { cidrContains, parseCidr } from './cidr';
import { selectorMatches } from './selectors';
import type { PolicyEndpoint } from './endpoint';

export function peerMatches(peer: V1NetworkPolicyPeer, policyNamespace: string, endpoint: PolicyEndpoint): boolean {
  if (peer.ipBlock) {
    return ipBlockMatches(peer.ipBlock, endpoint);
  }
  if (!peer.podSelector && !peer.namespaceSelector) {
    // The API server rejects an empty peer; treat one from a hand-written file as matching nothing.
    return false;
  }
  // Selectors match pods only; host-network pods are not selectable, their traffic is the node's.
  if (!endpoint.pod || endpoint.hostNetwork) {
    return false;
  }
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, endpoint.namespaceLabels)) {
      return false;
    }
  } else if (endpoint.namespace !== policyNamespace) {
    // podSelector alone means pods of the policy's own namespace.
    return false;
  }
  return !peer.podSelector || selectorMatches(peer.podSelector, endpoint.labels);
}

function ipBlockMatches(block: V1IPBlock, endpoint: PolicyEndpoint): boolean {
  if (!endpoint.address) {
    return false;
  }
  const cidr = parseCidr(block.cidr);
  if (!cidr || !cidrContains(cidr, endpoint.address)) {
    return false;
  }
  return !(block.except ?? []).some((text) => {
    const except = parseCidr(text);
    return except !== undefined && cidrContains(except, endpoint.address!);
  });
}
