// What a drop row says in words: its stable id, the policies involved and why they did not allow it.
import { formatDropId } from '../../model/dropId';
import type { NetworkEvent } from '../../model/events';

// Stable across agents and Loki for the same drop; the Investigate page resolves it back (model/dropId).
export const dropId = (e: NetworkEvent): string => formatDropId(e);

export function dropPolicies(e: NetworkEvent): string[] {
  const d = e.drop;
  if (!d) {
    return [];
  }
  const names = [...(d.deniedBy ?? []), ...(d.policy?.egress.policies ?? []), ...(d.policy?.ingress.policies ?? [])];
  return [...new Set(names)];
}

export function policyExplanationText(e: NetworkEvent): string {
  const d = e.drop;
  if (!d) {
    return e.kind === 'reset' ? 'connection reset' : '';
  }
  const parts: string[] = [];
  const p = d.policy;
  if (p) {
    for (const [direction, verdict] of [
      ['egress', p.egress],
      ['ingress', p.ingress],
    ] as const) {
      if (verdict.allowed === false) {
        const by = verdict.policies.length ? ` (${verdict.policies.join(', ')})` : '';
        parts.push(`${direction} denied${by}: ${verdict.reason}`);
      }
    }
  }
  if (parts.length === 0 && d.deniedBy?.length) {
    parts.push(`denied by ${d.deniedBy.join(', ')}`);
  }
  if (parts.length === 0) {
    parts.push(d.reason === 'unanswered_syn' ? 'SYN never answered (silently dropped on the path)' : d.reason);
  }
  return parts.join('; ');
}
