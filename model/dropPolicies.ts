// The NetworkPolicies a drop names, in one order for every reader (flows filter, drop series, resources, drop rows):
// those the capture point says denied it, then the egress and the ingress verdict's; each name once.
import type { NetworkEvent } from './events';

export function dropPolicyNames(e: NetworkEvent): string[] {
  const d = e.drop;
  if (!d) {
    return [];
  }
  const names = [...(d.deniedBy ?? []), ...(d.policy?.egress.policies ?? []), ...(d.policy?.ingress.policies ?? [])];
  return names.length > 1 ? [...new Set(names)] : names;
}
