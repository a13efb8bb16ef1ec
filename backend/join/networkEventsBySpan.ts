// The network events of each span's own connection, shown inside the trace view as span logs.
import type { NetworkEvent } from '../../model/events';
import { normalizeSpanId } from '../../model/traceId';
import { spanBatchOf } from '../clients/spanBatch';
import type { Span } from '../clients/tempoSpan';
import { destinationVerdict, spanDestination } from './destination';
import { forEachPodOverlap } from './podOverlap';

const CONNECTION_KINDS: ReadonlyArray<NetworkEvent['kind']> = ['drop', 'reset', 'flow', 'http', 'tls', 'dns'];

// Exact span ids first; otherwise the same pod, an overlapping window and a destination that agrees
// (DNS lookups of the span's host count too). Each span's events come out in time order, without duplicates.
export function networkEventsBySpan(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  slackUs: number
): Map<number, number[]> {
  const bySpan = new Map<number, Set<number>>();
  const add = (spanIndex: number, eventIndex: number) => {
    let set = bySpan.get(spanIndex);
    if (!set) {
      set = new Set();
      bySpan.set(spanIndex, set);
    }
    set.add(eventIndex);
  };
  const spanById = new Map<string, number>();
  spans.forEach((span, i) => spanById.set(span.spanId, i));
  events.forEach((event, i) => {
    const exact = event.spanId ? spanById.get(normalizeSpanId(event.spanId) ?? '') : undefined;
    if (exact !== undefined) {
      add(exact, i);
    }
  });
  const destinations = spans.map((span) => spanDestination(span));
  forEachPodOverlap(
    events,
    spanBatchOf(spans),
    { slackUs, eventKinds: CONNECTION_KINDS, spanKinds: ['client'] },
    (e, s) => {
      const event = events[e];
      if (event.kind === 'dns') {
        const query = event.dns?.query.toLowerCase().replace(/\.$/, '');
        if (query && destinations[s].hosts.includes(query)) {
          add(s, e);
        }
        return;
      }
      const agreement = destinationVerdict(destinations[s], event.dst).agreement;
      if (agreement === 'host' || agreement === 'host_and_port' || agreement === 'port') {
        add(s, e);
      }
    }
  );
  const result = new Map<number, number[]>();
  for (const [spanIndex, set] of bySpan) {
    result.set(
      spanIndex,
      [...set].sort((a, b) => events[a].time - events[b].time || a - b)
    );
  }
  return result;
}
