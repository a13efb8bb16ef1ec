// Network events for a query: the agents' recent window and the durable history in Loki, merged and deduplicated.
import { matchesEventFilter } from '../../model/eventFilter';
import type { EventKind, NetworkEvent } from '../../model/events';
import { AGENT_EVENTS_SELECTOR } from '../../model/eventStreams';
import { missingAgentsNotice } from '../clients/agentNotices';
import { LokiClient } from '../clients/loki';
import { mergeEvents, parseEventLines } from '../clients/lokiEvents';
import { extendSelector, logQLString } from '../clients/lokiLogQL';
import { isConfigured } from '../clients/upstreams';
import { QueryError, type QueryContext, type TimeRange } from '../datasource/types';
import type { AgentFleet } from '../clients/agent';
import { attempt, nothingAnswered } from './upstreamAttempt';

export interface EventRequest {
  kinds: EventKind[];
  range: TimeRange;
  namespace?: string;
  pod?: string;
  traceId?: string;
  limit: number;
}

export interface LoadedEvents {
  events: NetworkEvent[];
  truncated: boolean;
  sources: string[];
}

export async function loadNetworkEvents(ctx: QueryContext, request: EventRequest): Promise<LoadedEvents> {
  const fleet = ctx.instance.agents;
  const lokiConfigured = isConfigured(ctx.instance.settings, 'loki');
  if (fleet.size === 0 && !lokiConfigured) {
    throw new QueryError(400, 'no event source configured: set jsonData.agentUrls or jsonData.loki.url', 'plugin');
  }
  const [agents, loki] = await Promise.all([
    fleet.size > 0 ? attempt(ctx, 'capture agents', () => agentEvents(ctx, fleet, request)) : undefined,
    lokiConfigured ? attempt(ctx, 'Loki (durable events)', () => lokiEvents(ctx, request)) : undefined,
  ]);
  const answered = [agents, loki].filter((a) => a?.ok);
  if (answered.length === 0) {
    const failures = [agents, loki].flatMap((a) => (a && !a.ok ? [a.message] : []));
    throw nothingAnswered('no network events could be read', failures);
  }
  // Loki's history of the nodes whose agents did not answer is in the merge below: the notice says so.
  const missing = agents?.ok
    ? missingAgentsNotice(agents.value.failures, agents.value.asked, loki?.ok === true)
    : undefined;
  if (missing) {
    ctx.notices.push(missing);
  }
  const agentPart = agents?.ok ? agents.value : { events: [], truncated: false };
  const lokiPart = loki?.ok ? loki.value : { events: [], truncated: false };
  // Each source's list is already deduplicated and in time order; only a mix needs merging.
  const merged =
    lokiPart.events.length === 0
      ? agentPart.events
      : agentPart.events.length === 0
        ? lokiPart.events
        : mergeEvents(agentPart.events, lokiPart.events);
  const truncated = agentPart.truncated || lokiPart.truncated || merged.length > request.limit;
  return {
    events: merged.length > request.limit ? merged.slice(0, request.limit) : merged,
    truncated,
    sources: [agents?.ok ? 'agents' : undefined, loki?.ok ? 'loki' : undefined].filter((s): s is string => !!s),
  };
}

async function agentEvents(ctx: QueryContext, fleet: AgentFleet, request: EventRequest) {
  const result = await fleet.events(
    {
      fromMs: request.range.fromMs,
      toMs: request.range.toMs,
      kinds: request.kinds,
      namespace: request.namespace,
      pod: request.pod,
      traceId: request.traceId,
      limit: request.limit,
    },
    ctx.signal
  );
  return result;
}

async function lokiEvents(ctx: QueryContext, request: EventRequest) {
  const loki = new LokiClient(ctx.instance.upstream('loki'));
  const base = ctx.instance.settings.jsonData.eventsStreamSelector || AGENT_EVENTS_SELECTOR;
  const kinds = request.kinds.map((k) => k.replace(/[^a-z]/g, '')).join('|');
  let logQL = extendSelector(base, [{ name: 'kind', op: '=~', value: kinds }]);
  // Coarse line filters: an event that matches contains these strings in its JSON.
  for (const needle of [request.namespace, request.pod, request.traceId]) {
    if (needle) {
      logQL += ` |= ${logQLString(needle)}`;
    }
  }
  const result = await loki.queryRange({ logQL, range: request.range, limit: request.limit, signal: ctx.signal });
  const parsed = parseEventLines(result.lines);
  if (parsed.malformed > 0) {
    ctx.logger.warn('Loki lines that are not network events were skipped', { count: parsed.malformed });
  }
  const filter = { ...request, kinds: new Set(request.kinds) };
  const events = parsed.events.filter((e) => matchesEventFilter(e, filter));
  return { events, truncated: result.truncated };
}
