// traceNetwork: one trace with the network events of its spans' connections inside, plus its logs and events.
import { FRAME } from '../../model/frameNames';
import { formatDropId } from '../../model/dropId';
import type { NetworkEvent } from '../../model/events';
import { normalizeTraceId } from '../../model/traceId';
import { stringAttribute, type Span } from '../clients/tempoSpan';
import { isTraceStoreConfigured, traceStoreName, traceStoreUrlSetting } from '../clients/traceStore';
import { isLogStoreConfigured, logStoreName } from '../clients/logStore';
import { QueryError, type QueryContext, type QueryHandler } from '../datasource/types';
import { joinByTraceId } from '../join/joinByTraceId';
import { spanBatchOf } from '../clients/spanBatch';
import { DEFAULT_SLACK_MS, matchDropsToSpans } from '../join/matchDropsToSpans';
import { networkEventsBySpan } from '../join/networkEventsBySpan';
import { loadTraceLogs } from './appLogs';
import { flowsFrame } from './flowsFrame';
import { logsFrame } from './logsFrame';
import { loadNetworkEvents } from './networkEvents';
import { traceFrame } from './traceFrame';
import { attempt } from './upstreamAttempt';

const EVENT_LIMIT = 5000;
const LOG_LIMIT = 1000;
// Logs are often written a little before or after the spans they belong to.
const LOG_MARGIN_MS = 60_000;

export const traceNetworkQuery: QueryHandler = async (ctx) => {
  const traceId = normalizeTraceId(ctx.query.traceId);
  if (!traceId) {
    throw new QueryError(400, 'traceNetwork needs a traceId of 1 to 32 hex digits', 'plugin');
  }
  const storeName = traceStoreName(ctx.instance.settings);
  if (!isTraceStoreConfigured(ctx.instance.settings)) {
    throw new QueryError(
      400,
      `traceNetwork needs ${storeName}: set ${traceStoreUrlSetting(ctx.instance.settings)}`,
      'plugin'
    );
  }
  const store = ctx.instance.traceStore;
  // A link may open a trace outside the panel range; without a range the store searches everything it keeps.
  const trace =
    (await store.traceById(traceId, ctx.timeRange, ctx.signal)) ??
    (await store.traceById(traceId, undefined, ctx.signal));
  if (!trace || trace.spans.length === 0) {
    throw new QueryError(404, `trace ${traceId} was not found in ${storeName}`, 'downstream');
  }
  if (trace.partialMessage) {
    ctx.notices.push({ severity: 'warning', text: `${storeName} returned part of the trace: ${trace.partialMessage}` });
  }
  const spans = trace.spans.sort((a, b) => a.startUs - b.startUs || (a.spanId < b.spanId ? -1 : 1));
  const slackUs = (ctx.query.slackMs ?? DEFAULT_SLACK_MS) * 1000;
  const window = traceWindow(spans, slackUs);
  const [events, logs] = await Promise.all([
    attempt(ctx, 'network events', () =>
      loadNetworkEvents(ctx, {
        kinds: ['drop', 'reset', 'flow', 'dns', 'http', 'tls'],
        range: window,
        namespace: commonNamespace(spans),
        limit: EVENT_LIMIT,
      })
    ),
    isLogStoreConfigured(ctx.instance.settings)
      ? attempt(ctx, `${logStoreName(ctx.instance.settings)} (trace logs)`, () =>
          loadTraceLogs(
            ctx,
            traceId,
            { fromMs: window.fromMs - LOG_MARGIN_MS, toMs: window.toMs + LOG_MARGIN_MS },
            LOG_LIMIT
          )
        )
      : undefined,
  ]);
  const networkEvents = events.ok ? events.value.events : [];
  const { frame, eventsBySpan } = traceWithNetwork(ctx, spans, networkEvents, slackUs);
  const related = relatedEvents(traceId, networkEvents, eventsBySpan);
  return [
    frame,
    logsFrame(ctx, logs?.ok ? logs.value.lines : [], FRAME.traceLogs),
    { ...flowsFrame(related, ctx), name: FRAME.networkEvents },
  ];
};

function traceWithNetwork(ctx: QueryContext, spans: Span[], events: NetworkEvent[], slackUs: number) {
  const eventsBySpan = networkEventsBySpan(events, spans, slackUs);
  const explanations = new Map<number, string>();
  const drops = new Map<number, string>();
  for (const m of matchDropsToSpans(events, spanBatchOf(spans), { slackUs })) {
    if (!explanations.has(m.spanIndex)) {
      explanations.set(m.spanIndex, m.why);
    }
    if (!drops.has(m.spanIndex) && events[m.eventIndex].kind === 'drop') {
      drops.set(m.spanIndex, formatDropId(events[m.eventIndex]));
    }
  }
  return { frame: traceFrame(ctx, spans, events, { eventsBySpan, explanations, drops }), eventsBySpan };
}

// The events shown in the trace, plus any that carry this trace's id, once each and in time order.
function relatedEvents(traceId: string, events: NetworkEvent[], eventsBySpan: Map<number, number[]>): NetworkEvent[] {
  const keep = new Set<number>();
  for (const list of eventsBySpan.values()) {
    list.forEach((i) => keep.add(i));
  }
  const carrying = new Set(joinByTraceId(events, [], []).get(traceId)?.events);
  events.forEach((e, i) => carrying.has(e) && keep.add(i));
  return [...keep].sort((a, b) => a - b).map((i) => events[i]);
}

function traceWindow(spans: Span[], slackUs: number): { fromMs: number; toMs: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const s of spans) {
    from = Math.min(from, s.startUs);
    to = Math.max(to, s.endUs);
  }
  return { fromMs: (from - slackUs) / 1000, toMs: (to + slackUs) / 1000 };
}

// Pushed down to the agents only when every span of the trace runs in one namespace.
function commonNamespace(spans: Span[]): string | undefined {
  const namespaces = new Set(spans.map((s) => stringAttribute(s.resource, 'k8s.namespace.name')));
  const [only] = namespaces;
  return namespaces.size === 1 ? only : undefined;
}
