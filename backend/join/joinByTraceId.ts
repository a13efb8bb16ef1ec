// Exact join on trace_id: the network events, spans and log lines that carry the same trace.
import type { NetworkEvent } from '../../model/events';
import { normalizeTraceId } from '../../model/traceId';
import type { LogLine } from '../clients/lokiLogLine';
import type { Span } from '../clients/tempoSpan';

export interface TraceJoin {
  traceId: string;
  events: NetworkEvent[];
  spans: Span[];
  logs: LogLine[];
}

// Hash join; each trace's members keep their input order, traces come out in first-seen order.
export function joinByTraceId(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  logs: readonly LogLine[]
): Map<string, TraceJoin> {
  const traces = new Map<string, TraceJoin>();
  const entry = (raw: string | undefined) => {
    const traceId = normalizeTraceId(raw);
    if (!traceId) {
      return undefined;
    }
    let found = traces.get(traceId);
    if (!found) {
      found = { traceId, events: [], spans: [], logs: [] };
      traces.set(traceId, found);
    }
    return found;
  };
  for (const event of events) {
    entry(event.traceId)?.events.push(event);
  }
  for (const span of spans) {
    entry(span.traceId)?.spans.push(span);
  }
  for (const log of logs) {
    entry(log.traceId)?.logs.push(log);
  }
  return traces;
}
