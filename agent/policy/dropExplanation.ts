// The policy explanation of a drop event: which NetworkPolicies select its two ends and why none allowed it.
import type { NetworkEvent, PolicyExplanation } from '../../model/events';
import type { ClusterSnapshot } from '../kube/model';
import { explainConnection, policyIndexFor, PolicyInputError, resolveConnection } from './explain';
import { suggestPolicyFix } from './fixSuggestion';
import { ruleChecks } from './ruleChecks';

const POLICY_TRANSPORTS = new Set(['tcp', 'udp', 'sctp']);

// Undefined when the event is not a drop, has no destination port, or uses a transport policy does not cover.
export function explainDrop(cluster: ClusterSnapshot, event: NetworkEvent): PolicyExplanation | undefined {
  if (event.kind !== 'drop' || !event.drop || event.dst.port === undefined || !POLICY_TRANSPORTS.has(event.transport)) {
    return undefined;
  }
  try {
    return explainConnection(cluster, event.src, event.dst, event.dst.port, event.transport);
  } catch (err) {
    // An end the snapshot does not know (a pod created since) leaves the drop unexplained, not the pipeline broken.
    if (err instanceof PolicyInputError) {
      return undefined;
    }
    throw err;
  }
}

// Attaches the explanation (and, for a denial, the suggested fix) to a drop in place; returns whether it did.
export function attachDropExplanation(cluster: ClusterSnapshot, event: NetworkEvent): boolean {
  const explanation = explainDrop(cluster, event);
  if (!explanation || !event.drop) {
    return false;
  }
  event.drop.policy = explanation;
  if (!explanation.allowed) {
    attachRuleChecks(cluster, event, explanation);
    // The fix is computed once per explained drop; an update of the same drop recomputes it against the newer view.
    const fix = suggestPolicyFix(cluster, event.src, event.dst, event.dst.port!, event.transport);
    if (fix.confirmed && fix.suggestions.length > 0) {
      event.drop.suggestions = fix.suggestions;
    }
  }
  return true;
}

// The rules of each denying direction, for the case view's readable explanation.
function attachRuleChecks(cluster: ClusterSnapshot, event: NetworkEvent, explanation: PolicyExplanation): void {
  const index = policyIndexFor(cluster);
  const connection = resolveConnection(index, event.src, event.dst, event.dst.port!, event.transport);
  for (const direction of ['egress', 'ingress'] as const) {
    if (explanation[direction].allowed === false) {
      explanation[direction].rules = ruleChecks(index, connection, direction);
    }
  }
}
