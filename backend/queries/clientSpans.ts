// CLIENT spans that may explain a set of drops: one trace-store search pushed down to the drops' source pods.
import type { NetworkEvent } from '../../model/events';
import { SpanBatchBuilder, type SpanBatch } from '../clients/spanBatch';
import { isTraceStoreConfigured, traceStoreName } from '../clients/traceStore';
import type { QueryContext } from '../datasource/types';
import { attempt } from './upstreamAttempt';

const MAX_PUSHED_PODS = 100;
const MAX_PUSHED_NAMESPACES = 20;
const MAX_TRACES = 5000;
const NO_SPANS = new SpanBatchBuilder(0).build();

export interface ClientSpans {
  spans: SpanBatch;
  // False when the trace store is not configured or failed; the notice says which.
  available: boolean;
  // TraceQL, or Jaeger's search parameters.
  executedQuery?: string;
}

export async function clientSpansForDrops(
  ctx: QueryContext,
  drops: readonly NetworkEvent[],
  slackUs: number
): Promise<ClientSpans> {
  if (drops.length === 0) {
    return { spans: NO_SPANS, available: true };
  }
  const storeName = traceStoreName(ctx.instance.settings);
  if (!isTraceStoreConfigured(ctx.instance.settings)) {
    ctx.notices.push({
      severity: 'info',
      text: `${storeName} is not configured: drops are listed without the spans they broke.`,
    });
    return { spans: NO_SPANS, available: false };
  }
  const store = ctx.instance.traceStore;
  const pods = distinct(drops.map((d) => d.src.pod));
  const namespaces = distinct(drops.map((d) => d.src.namespace));
  let fromUs = Infinity;
  let toUs = -Infinity;
  for (const d of drops) {
    fromUs = Math.min(fromUs, d.time);
    toUs = Math.max(toUs, d.endTime ?? d.time);
  }
  const slackMs = slackUs / 1000;
  const result = await attempt(ctx, storeName, () =>
    store.searchClientSpans({
      pods: pods.complete && pods.values.length <= MAX_PUSHED_PODS ? pods.values : undefined,
      namespaces:
        namespaces.complete && namespaces.values.length <= MAX_PUSHED_NAMESPACES ? namespaces.values : undefined,
      range: { fromMs: fromUs / 1000 - slackMs - 60_000, toMs: toUs / 1000 + slackMs + 60_000 },
      limit: Math.min(MAX_TRACES, Math.max(100, drops.length * 4)),
      signal: ctx.signal,
    })
  );
  if (!result.ok) {
    return { spans: NO_SPANS, available: false };
  }
  if (result.value.skipped > 0) {
    ctx.logger.warn(`${storeName} search entries without ids or times were skipped`, { count: result.value.skipped });
  }
  return { spans: result.value.spans, available: true, executedQuery: result.value.executedQuery };
}

// complete is false when some drop has no such identity, so the filter cannot be pushed down.
function distinct(values: Array<string | undefined>): { values: string[]; complete: boolean } {
  const set = new Set<string>();
  let complete = true;
  for (const v of values) {
    if (v) {
      set.add(v);
    } else {
      complete = false;
    }
  }
  return { values: [...set].sort(), complete };
}
