// drops: every drop with the CLIENT spans it broke (confidence and why), its policy explanation and log count.
import { DROP_COLUMN, ENDPOINT_COLUMN, FRAME } from '../../model/frameNames';
import { formatDropId, parseDropId } from '../../model/dropId';
import { dropPolicyNames } from '../../model/dropPolicies';
import type { NetworkEvent } from '../../model/events';
import { normalizeTraceId } from '../../model/traceId';
import {
  nameAt,
  serviceAt,
  spanIdAt,
  statusCodeAt,
  statusMessageAt,
  traceIdAt,
  type SpanBatch,
} from '../clients/spanBatch';
import type { QueryContext, QueryHandler, TimeRange } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { DEFAULT_SLACK_MS, matchDropsToSpans, type DropSpanMatch } from '../join/matchDropsToSpans';
import { clientSpansForDrops } from './clientSpans';
import { policyExplanationText } from './dropFacts';
import { dropSeriesFrame } from './dropSeries';
import { dropLinkConfig, flowsLinkConfig, traceIdFieldConfig } from './links';
import { loadNetworkEvents } from './networkEvents';
import { logCountsAroundDrops } from './podLogs';
import { column } from './tableColumn';

export const DEFAULT_DROPS_LIMIT = 1000;

export const dropsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const limit = query.limit ?? DEFAULT_DROPS_LIMIT;
  const wanted = query.dropId === undefined ? undefined : parseDropId(query.dropId);
  const loaded = await loadNetworkEvents(ctx, {
    kinds: ['drop'],
    range: wanted ? dropIdRange(ctx.timeRange, wanted.timeUs) : ctx.timeRange,
    namespace: query.namespace,
    pod: query.pod,
    limit,
  });
  if (loaded.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${loaded.events.length} drops; raise the limit to see more.`,
    });
  }
  let drops = loaded.events.filter(
    (e) => e.kind === 'drop' && matchesDropFilters(e, ctx) && (!wanted || formatDropId(e) === query.dropId)
  );
  if (query.asTimeSeries) {
    return [dropSeriesFrame(ctx, drops, query.groupBy ?? 'reason')];
  }
  const slackUs = (query.slackMs ?? DEFAULT_SLACK_MS) * 1000;
  const traceId = normalizeTraceId(query.traceId);
  // With a trace id, log counts wait for the join so only the drops of that trace are looked up.
  const [spans, allCounts] = await Promise.all([
    clientSpansForDrops(ctx, drops, slackUs),
    traceId ? undefined : logCountsAroundDrops(ctx, drops),
  ]);
  const traceIdOf = traceIdStrings(spans.spans);
  // The trace filter is pushed into the join: only that trace's spans are candidates.
  const spanFilter = traceId ? (i: number) => traceIdOf(i) === traceId : undefined;
  let matches = matchDropsToSpans(drops, spans.spans, { slackUs, spanFilter });
  let counts = allCounts;
  if (traceId) {
    ({ drops, matches } = keepMatchedDrops(drops, matches));
    counts = await logCountsAroundDrops(ctx, drops);
  }
  const ids = drops.map(formatDropId);
  const frames = [
    dropsFrame(ctx, drops, ids, spans.spans, matches, counts, traceIdOf),
    matchesFrame(ctx, drops, ids, spans.spans, matches, traceIdOf),
  ];
  if (spans.executedQuery) {
    frames[1].meta = { ...frames[1].meta, executedQueryString: spans.executedQuery };
  }
  return frames;
};

// A drop id names its time to the microsecond: read a second either side of it, within the asked range.
function dropIdRange(range: TimeRange, timeUs: number): TimeRange {
  const ms = Math.floor(timeUs / 1000);
  return { fromMs: Math.max(range.fromMs, ms - 1000), toMs: Math.min(range.toMs, ms + 1000) };
}

// Only the drops that matched a span, in their order; match indices renumbered for the kept drops.
function keepMatchedDrops(
  drops: NetworkEvent[],
  matches: DropSpanMatch[]
): { drops: NetworkEvent[]; matches: DropSpanMatch[] } {
  const matched = new Uint8Array(drops.length);
  for (const m of matches) {
    matched[m.eventIndex] = 1;
  }
  const newIndex = new Int32Array(drops.length).fill(-1);
  const kept: NetworkEvent[] = [];
  drops.forEach((d, i) => {
    if (matched[i]) {
      newIndex[i] = kept.length;
      kept.push(d);
    }
  });
  return { drops: kept, matches: matches.map((m) => ({ ...m, eventIndex: newIndex[m.eventIndex] })) };
}

function matchesDropFilters(e: NetworkEvent, ctx: QueryContext): boolean {
  const { service, policy } = ctx.query;
  if (service && e.src.service !== service && e.dst.service !== service) {
    return false;
  }
  return !policy || dropPolicyNames(e).includes(policy);
}

// The matches of each drop, grouped by a counting pass: drop i's are order[starts[i]] .. order[starts[i + 1] - 1],
// in the join's order (best first).
interface MatchesByDrop {
  starts: Uint32Array;
  order: Uint32Array;
}

function groupMatchesByDrop(dropCount: number, matches: readonly DropSpanMatch[]): MatchesByDrop {
  const starts = new Uint32Array(dropCount + 1);
  for (const m of matches) {
    starts[m.eventIndex + 1]++;
  }
  for (let i = 0; i < dropCount; i++) {
    starts[i + 1] += starts[i];
  }
  const next = starts.slice(0, dropCount);
  const order = new Uint32Array(matches.length);
  matches.forEach((m, k) => (order[next[m.eventIndex]++] = k));
  return { starts, order };
}

// Trace ids as strings, converted from the batch's bytes once per span however many rows show them.
export function traceIdStrings(spans: SpanBatch): (spanIndex: number) => string {
  const cache: Array<string | undefined> = new Array(spans.size);
  return (i) => (cache[i] ??= traceIdAt(spans, i));
}

export function dropsFrame(
  ctx: QueryContext,
  drops: readonly NetworkEvent[],
  ids: readonly string[],
  spans: SpanBatch,
  matches: readonly DropSpanMatch[],
  logCounts: number[] | undefined,
  traceIdOf = traceIdStrings(spans)
): Frame {
  const { starts, order } = groupMatchesByDrop(drops.length, matches);
  const count = (i: number) => starts[i + 1] - starts[i];
  const bestOf = (i: number): DropSpanMatch | undefined => (count(i) ? matches[order[starts[i]]] : undefined);
  const bestSpan = (i: number): number => matches[order[starts[i]]].spanIndex;
  const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
  let matched = 0;
  for (let i = 0; i < drops.length; i++) {
    matched += count(i) ? 1 : 0;
  }
  return {
    name: FRAME.drops,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table', custom: { matchedDrops: matched } },
    fields: [
      { ...column(drops, DROP_COLUMN.time, 'time', (d) => ms(d.time)), nullable: false },
      column(drops, DROP_COLUMN.endTime, 'time', (d) => ms(d.endTime)),
      column(drops, DROP_COLUMN.dropId, 'string', (_, i) => ids[i], { displayNameFromDS: 'Drop', ...dropLinkConfig() }),
      column(drops, ENDPOINT_COLUMN.srcNamespace, 'string', (d) => d.src.namespace),
      column(drops, ENDPOINT_COLUMN.srcPod, 'string', (d) => d.src.pod, flowsLinkConfig('src_namespace', 'src_pod')),
      column(drops, ENDPOINT_COLUMN.srcIp, 'string', (d) => d.src.ip),
      column(drops, ENDPOINT_COLUMN.dstNamespace, 'string', (d) => d.dst.namespace),
      column(drops, ENDPOINT_COLUMN.dstPod, 'string', (d) => d.dst.pod, flowsLinkConfig('dst_namespace', 'dst_pod')),
      column(drops, ENDPOINT_COLUMN.dstService, 'string', (d) => d.dst.service),
      column(drops, ENDPOINT_COLUMN.dstIp, 'string', (d) => d.dst.ip),
      column(drops, DROP_COLUMN.dstPort, 'int64', (d) => d.dst.port),
      column(drops, DROP_COLUMN.reason, 'string', (d) => d.drop?.reason),
      column(drops, DROP_COLUMN.verdict, 'string', (d) => d.drop?.verdict),
      column(drops, 'policies', 'string', (d) => dropPolicyNames(d).join(', ') || null),
      column(drops, DROP_COLUMN.explanation, 'string', (d) => policyExplanationText(d)),
      column(drops, DROP_COLUMN.attempts, 'int64', (d) => d.drop?.attempts),
      // Each attempt's time in epoch ms, as JSON: the case view's timeline.
      column(drops, DROP_COLUMN.attemptTimes, 'string', (d) =>
        d.drop?.attemptTimes?.length ? JSON.stringify(d.drop.attemptTimes.map((us) => us / 1000)) : null
      ),
      column(drops, DROP_COLUMN.policyExplanation, 'string', (d) =>
        d.drop?.policy ? JSON.stringify(d.drop.policy) : null
      ),
      column(drops, DROP_COLUMN.suggestions, 'string', (d) =>
        d.drop?.suggestions?.length ? JSON.stringify(d.drop.suggestions) : null
      ),
      column(drops, 'matched_spans', 'int64', (_, i) => count(i)),
      column(
        drops,
        DROP_COLUMN.traceId,
        'string',
        (_, i) => (count(i) ? traceIdOf(bestSpan(i)) : null),
        traceIdFieldConfig(ctx)
      ),
      column(drops, 'trace_ids', 'string', (_, i) =>
        count(i) ? distinctTraceIds(matches, order.subarray(starts[i], starts[i + 1]), traceIdOf) : null
      ),
      column(drops, DROP_COLUMN.service, 'string', (_, i) => (count(i) ? serviceAt(spans, bestSpan(i)) : null)),
      column(drops, DROP_COLUMN.span, 'string', (_, i) => (count(i) ? nameAt(spans, bestSpan(i)) : null)),
      column(drops, DROP_COLUMN.confidence, 'number', (_, i) => bestOf(i)?.confidence, {
        unit: 'percentunit',
        min: 0,
        max: 1,
      }),
      column(drops, DROP_COLUMN.why, 'string', (_, i) => bestOf(i)?.why),
      column(drops, DROP_COLUMN.logCount, 'int64', (_, i) => logCounts?.[i]),
      column(drops, 'node', 'string', (d) => d.node),
    ],
  };
}

function distinctTraceIds(
  matches: readonly DropSpanMatch[],
  own: Uint32Array,
  traceIdOf: (spanIndex: number) => string
): string {
  if (own.length === 1) {
    return traceIdOf(matches[own[0]].spanIndex);
  }
  const ids = new Set<string>();
  for (const k of own) {
    ids.add(traceIdOf(matches[k].spanIndex));
  }
  return [...ids].join(', ');
}

// Every (drop, span) pair: one drop may break several spans (retries) and one span see several drops.
export function matchesFrame(
  ctx: QueryContext,
  drops: readonly NetworkEvent[],
  ids: readonly string[],
  spans: SpanBatch,
  matches: readonly DropSpanMatch[],
  traceIdOf = traceIdStrings(spans)
): Frame {
  return {
    name: FRAME.dropSpanMatches,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { ...column(matches, DROP_COLUMN.time, 'time', (m) => drops[m.eventIndex].time / 1000), nullable: false },
      column(matches, DROP_COLUMN.dropId, 'string', (m) => ids[m.eventIndex], {
        displayNameFromDS: 'Drop',
        ...dropLinkConfig(),
      }),
      column(matches, DROP_COLUMN.traceId, 'string', (m) => traceIdOf(m.spanIndex), traceIdFieldConfig(ctx)),
      column(matches, DROP_COLUMN.spanId, 'string', (m) => spanIdAt(spans, m.spanIndex)),
      column(matches, DROP_COLUMN.service, 'string', (m) => serviceAt(spans, m.spanIndex)),
      column(matches, DROP_COLUMN.span, 'string', (m) => nameAt(spans, m.spanIndex)),
      column(matches, 'span_start', 'time', (m) => spans.startUs[m.spanIndex] / 1000),
      column(matches, 'duration', 'number', (m) => (spans.endUs[m.spanIndex] - spans.startUs[m.spanIndex]) / 1000, {
        unit: 'ms',
      }),
      column(matches, 'status', 'string', (m) => statusCodeAt(spans, m.spanIndex)),
      column(matches, DROP_COLUMN.statusMessage, 'string', (m) => statusMessageAt(spans, m.spanIndex)),
      column(matches, DROP_COLUMN.confidence, 'number', (m) => m.confidence, { unit: 'percentunit', min: 0, max: 1 }),
      column(matches, DROP_COLUMN.why, 'string', (m) => m.why),
      column(matches, ENDPOINT_COLUMN.destination, 'string', (m) => m.evidence.destination),
      column(matches, 'failure', 'string', (m) => m.evidence.failureKind ?? m.evidence.failure),
    ],
  };
}
