// drops: every drop with the CLIENT spans it broke (confidence and why), its policy explanation and log count.
import type { NetworkEvent } from '../../model/events';
import {
  nameAt,
  serviceAt,
  spanIdAt,
  statusCodeAt,
  statusMessageAt,
  traceIdAt,
  type SpanBatch,
} from '../clients/spanBatch';
import type { QueryContext, QueryHandler } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { matchDropsToSpans, type DropSpanMatch } from '../join/matchDropsToSpans';
import { clientSpansForDrops } from './clientSpans';
import { dropId, dropPolicies, policyExplanationText } from './dropFacts';
import { dropSeriesFrame } from './dropSeries';
import { dropLinkConfig, flowsLinkConfig, traceIdFieldConfig } from './links';
import { loadNetworkEvents } from './networkEvents';
import { logCountsAroundDrops } from './podLogs';
import { column } from './tableColumn';

export const DEFAULT_DROPS_LIMIT = 1000;
export const DEFAULT_SLACK_MS = 500;

export const dropsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const limit = query.limit ?? DEFAULT_DROPS_LIMIT;
  const loaded = await loadNetworkEvents(ctx, {
    kinds: ['drop'],
    range: ctx.timeRange,
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
  let drops = loaded.events.filter((e) => e.kind === 'drop' && matchesDropFilters(e, ctx));
  if (query.asTimeSeries) {
    return [dropSeriesFrame(ctx, drops, query.groupBy ?? 'reason')];
  }
  const slackUs = (query.slackMs ?? DEFAULT_SLACK_MS) * 1000;
  const [spans, logCounts] = await Promise.all([
    clientSpansForDrops(ctx, drops, slackUs),
    logCountsAroundDrops(ctx, drops),
  ]);
  let matches = matchDropsToSpans(drops, spans.spans, { slackUs });
  let counts = logCounts;
  if (query.traceId) {
    // Only drops that broke a span of this trace; indices are renumbered for the kept drops.
    const kept = new Map<number, number>();
    for (const m of matches) {
      if (traceIdAt(spans.spans, m.spanIndex) === query.traceId && !kept.has(m.eventIndex)) {
        kept.set(m.eventIndex, kept.size);
      }
    }
    const order = [...kept.keys()].sort((a, b) => a - b);
    order.forEach((oldIndex, newIndex) => kept.set(oldIndex, newIndex));
    drops = order.map((i) => drops[i]);
    counts = counts && order.map((i) => counts![i]);
    matches = matches.filter((m) => kept.has(m.eventIndex)).map((m) => ({ ...m, eventIndex: kept.get(m.eventIndex)! }));
  }
  const ids = drops.map(dropId);
  const frames = [
    dropsFrame(ctx, drops, ids, spans.spans, matches, counts),
    matchesFrame(ctx, drops, ids, spans.spans, matches),
  ];
  if (spans.traceQL) {
    frames[1].meta = { ...frames[1].meta, executedQueryString: spans.traceQL };
  }
  return frames;
};

function matchesDropFilters(e: NetworkEvent, ctx: QueryContext): boolean {
  const { service, policy } = ctx.query;
  if (service && e.src.service !== service && e.dst.service !== service) {
    return false;
  }
  return !policy || dropPolicies(e).includes(policy);
}

interface DropRow {
  drop: NetworkEvent;
  best?: DropSpanMatch;
  matches: DropSpanMatch[];
  logCount?: number;
}

export function dropsFrame(
  ctx: QueryContext,
  drops: readonly NetworkEvent[],
  ids: readonly string[],
  spans: SpanBatch,
  matches: readonly DropSpanMatch[],
  logCounts: number[] | undefined
): Frame {
  const rows: DropRow[] = drops.map((drop, i) => ({ drop, matches: [], logCount: logCounts?.[i] }));
  for (const m of matches) {
    rows[m.eventIndex].matches.push(m);
  }
  for (const row of rows) {
    // matches arrive best-first per drop
    row.best = row.matches[0];
  }
  const ms = (us: number | undefined) => (us === undefined ? null : us / 1000);
  return {
    name: 'drops',
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table', custom: { matchedDrops: rows.filter((r) => r.best).length } },
    fields: [
      { ...column(rows, 'time', 'time', (r) => ms(r.drop.time)), nullable: false },
      column(rows, 'endTime', 'time', (r) => ms(r.drop.endTime)),
      column(rows, 'drop_id', 'string', (_, i) => ids[i], { displayNameFromDS: 'Drop', ...dropLinkConfig() }),
      column(rows, 'src_namespace', 'string', (r) => r.drop.src.namespace),
      column(rows, 'src_pod', 'string', (r) => r.drop.src.pod, flowsLinkConfig('src_namespace', 'src_pod')),
      column(rows, 'src_ip', 'string', (r) => r.drop.src.ip),
      column(rows, 'dst_namespace', 'string', (r) => r.drop.dst.namespace),
      column(rows, 'dst_pod', 'string', (r) => r.drop.dst.pod, flowsLinkConfig('dst_namespace', 'dst_pod')),
      column(rows, 'dst_service', 'string', (r) => r.drop.dst.service),
      column(rows, 'dst_ip', 'string', (r) => r.drop.dst.ip),
      column(rows, 'dst_port', 'int64', (r) => r.drop.dst.port),
      column(rows, 'reason', 'string', (r) => r.drop.drop?.reason),
      column(rows, 'verdict', 'string', (r) => r.drop.drop?.verdict),
      column(rows, 'policies', 'string', (r) => dropPolicies(r.drop).join(', ') || null),
      column(rows, 'explanation', 'string', (r) => policyExplanationText(r.drop)),
      column(rows, 'attempts', 'int64', (r) => r.drop.drop?.attempts),
      column(rows, 'matched_spans', 'int64', (r) => r.matches.length),
      column(
        rows,
        'trace_id',
        'string',
        (r) => (r.best ? traceIdAt(spans, r.best.spanIndex) : null),
        traceIdFieldConfig(ctx)
      ),
      column(rows, 'trace_ids', 'string', (r) => distinctTraceIds(r, spans) || null),
      column(rows, 'service', 'string', (r) => (r.best ? serviceAt(spans, r.best.spanIndex) : null)),
      column(rows, 'span', 'string', (r) => (r.best ? nameAt(spans, r.best.spanIndex) : null)),
      column(rows, 'confidence', 'number', (r) => r.best?.confidence, { unit: 'percentunit', min: 0, max: 1 }),
      column(rows, 'why', 'string', (r) => r.best?.why),
      column(rows, 'log_count', 'int64', (r) => r.logCount),
      column(rows, 'node', 'string', (r) => r.drop.node),
    ],
  };
}

function distinctTraceIds(row: DropRow, spans: SpanBatch): string {
  if (row.matches.length <= 1) {
    return row.matches.length ? traceIdAt(spans, row.matches[0].spanIndex) : '';
  }
  return [...new Set(row.matches.map((m) => traceIdAt(spans, m.spanIndex)))].join(', ');
}

// Every (drop, span) pair: one drop may break several spans (retries) and one span see several drops.
export function matchesFrame(
  ctx: QueryContext,
  drops: readonly NetworkEvent[],
  ids: readonly string[],
  spans: SpanBatch,
  matches: readonly DropSpanMatch[]
): Frame {
  return {
    name: 'drop_span_matches',
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { ...column(matches, 'time', 'time', (m) => drops[m.eventIndex].time / 1000), nullable: false },
      column(matches, 'drop_id', 'string', (m) => ids[m.eventIndex], {
        displayNameFromDS: 'Drop',
        ...dropLinkConfig(),
      }),
      column(matches, 'trace_id', 'string', (m) => traceIdAt(spans, m.spanIndex), traceIdFieldConfig(ctx)),
      column(matches, 'span_id', 'string', (m) => spanIdAt(spans, m.spanIndex)),
      column(matches, 'service', 'string', (m) => serviceAt(spans, m.spanIndex)),
      column(matches, 'span', 'string', (m) => nameAt(spans, m.spanIndex)),
      column(matches, 'span_start', 'time', (m) => spans.startUs[m.spanIndex] / 1000),
      column(matches, 'duration', 'number', (m) => (spans.endUs[m.spanIndex] - spans.startUs[m.spanIndex]) / 1000, {
        unit: 'ms',
      }),
      column(matches, 'status', 'string', (m) => statusCodeAt(spans, m.spanIndex)),
      column(matches, 'status_message', 'string', (m) => statusMessageAt(spans, m.spanIndex)),
      column(matches, 'confidence', 'number', (m) => m.confidence, { unit: 'percentunit', min: 0, max: 1 }),
      column(matches, 'why', 'string', (m) => m.why),
      column(matches, 'destination', 'string', (m) => m.evidence.destination),
      column(matches, 'failure', 'string', (m) => m.evidence.failureKind ?? m.evidence.failure),
    ],
  };
}
