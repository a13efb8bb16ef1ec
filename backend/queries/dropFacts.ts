// What a drop row says in words: why the policies involved did not allow it.
import type { NetworkEvent } from '../../model/events';

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
