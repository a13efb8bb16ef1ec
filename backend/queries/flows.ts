// flows: the agents' recent network events as one table, newest last, trace ids linked to Tempo.
import { dropPolicyNames } from '../../model/dropPolicies';
import type { NetworkEvent } from '../../model/events';
import { missingAgentsNotice } from '../clients/agentNotices';
import type { QueryContext, QueryHandler } from '../datasource/types';
import { flowsFrame } from './flowsFrame';

export const DEFAULT_FLOWS_LIMIT = 1000;

export const flowsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const fleet = ctx.instance.agents;
  const limit = query.limit ?? DEFAULT_FLOWS_LIMIT;
  const result = await fleet.events(
    {
      fromMs: ctx.timeRange.fromMs,
      toMs: ctx.timeRange.toMs,
      kinds: query.kinds,
      namespace: query.namespace,
      pod: query.pod,
      traceId: query.traceId,
      limit,
    },
    ctx.signal
  );
  const missing = missingAgentsNotice(result.failures, result.asked, false);
  if (missing) {
    ctx.notices.push(missing);
  }
  for (const failure of result.failures) {
    ctx.logger.warn('agent failed, answering with partial results', { agent: failure.agent, error: failure.message });
  }
  if (result.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${result.events.length} events; raise the limit to see more.`,
    });
  }
  const events = result.events.filter(eventFilter(ctx));
  const frame = flowsFrame(events, ctx);
  frame.meta = { ...frame.meta, custom: { agents: result.agents, askedAgents: result.asked } };
  return [frame];
};

// Filters the agent API has no parameter for.
function eventFilter(ctx: QueryContext): (e: NetworkEvent) => boolean {
  const { service, policy, search } = ctx.query;
  const needle = search?.toLowerCase();
  return (e) => {
    if (service && e.src.service !== service && e.dst.service !== service) {
      return false;
    }
    if (policy && !dropPolicyNames(e).includes(policy)) {
      return false;
    }
    return !needle || searchText(e).includes(needle);
  };
}

function searchText(e: NetworkEvent): string {
  const parts = [e.kind, e.src.pod, e.src.namespace, e.src.ip, e.dst.pod, e.dst.namespace, e.dst.ip, e.dst.service];
  parts.push(e.drop?.reason, e.dns?.query, e.http?.path, e.http?.host, e.traceId);
  return parts.filter(Boolean).join(' ').toLowerCase();
}
