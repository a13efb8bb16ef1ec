// Drop ↔ CLIENT-span interval join: candidates from the pod sweep, each scored and explained.
import type { NetworkEvent } from '../../model/events';
import { STATUS_CODES, statusMessageAt, type SpanBatch } from '../clients/spanBatch';
import { attributesDestination, endpointNames, type EndpointNames, type SpanDestination } from './destination';
import { forEachPodOverlap } from './podOverlap';
import { scoreDropSpan, spanFacts, type DropSpanEvidence, type ScoredSpan, type SpanFacts } from './scoreDropSpan';

export interface DropSpanMatch {
  eventIndex: number;
  spanIndex: number;
  confidence: number;
  why: string;
  evidence: DropSpanEvidence;
}

export interface DropSpanJoinOptions {
  // Added on both sides of a span, in microseconds.
  slackUs: number;
  // Event kinds that are failures to explain (default drop and reset).
  eventKinds?: ReadonlyArray<NetworkEvent['kind']>;
  // Pairs scored below this are not reported.
  minConfidence?: number;
}

const DEFAULT_KINDS: ReadonlyArray<NetworkEvent['kind']> = ['drop', 'reset'];

export function matchDropsToSpans(
  events: readonly NetworkEvent[],
  spans: SpanBatch,
  options: DropSpanJoinOptions
): DropSpanMatch[] {
  const minConfidence = options.minConfidence ?? 0;
  // Computed on first use: most spans and events never meet a partner.
  const facts = new Map<number, { span: ScoredSpan; facts: SpanFacts }>();
  // Spans sharing an attribute set share its destination.
  const destinations = new Array<SpanDestination | undefined>(spans.attributeSets.length);
  const dstNames = new Array<EndpointNames | undefined>(events.length);
  const matches: DropSpanMatch[] = [];
  const overlap = {
    slackUs: options.slackUs,
    eventKinds: options.eventKinds ?? DEFAULT_KINDS,
    spanKinds: ['client'] as const,
  };
  forEachPodOverlap(events, spans, overlap, (eventIndex, spanIndex) => {
    let known = facts.get(spanIndex);
    if (!known) {
      const set = spans.attributes[spanIndex];
      const destination = (destinations[set] ??= attributesDestination(spans.attributeSets[set]));
      const span: ScoredSpan = {
        startUs: spans.startUs[spanIndex],
        endUs: spans.endUs[spanIndex],
        status: { code: STATUS_CODES[spans.status[spanIndex]], message: statusMessageAt(spans, spanIndex) },
      };
      known = { span, facts: spanFacts(span, destination) };
      facts.set(spanIndex, known);
    }
    const names = (dstNames[eventIndex] ??= endpointNames(events[eventIndex].dst));
    const scored = scoreDropSpan(events[eventIndex], known.span, known.facts, names);
    if (scored.confidence >= minConfidence) {
      matches.push({
        eventIndex,
        spanIndex,
        confidence: scored.confidence,
        why: scored.why,
        evidence: scored.evidence,
      });
    }
  });
  return orderMatches(matches, events, spans);
}

// Drops in time order, each drop's spans best first. A counting pass groups the pairs by drop, so only the
// drops that matched are sorted (by time), and only each drop's own few pairs (by confidence).
function orderMatches(matches: DropSpanMatch[], events: readonly NetworkEvent[], spans: SpanBatch): DropSpanMatch[] {
  const starts = new Uint32Array(events.length + 1);
  for (const m of matches) {
    starts[m.eventIndex + 1]++;
  }
  for (let e = 1; e <= events.length; e++) {
    starts[e] += starts[e - 1];
  }
  const grouped = new Array<DropSpanMatch>(matches.length);
  const fill = starts.slice(0, events.length);
  for (const m of matches) {
    grouped[fill[m.eventIndex]++] = m;
  }
  const matched: number[] = [];
  for (let e = 0; e < events.length; e++) {
    if (starts[e + 1] > starts[e]) {
      matched.push(e);
    }
  }
  const times = new Float64Array(matched.length);
  matched.forEach((e, k) => (times[k] = events[e].time));
  const order = Uint32Array.from(matched.keys()).sort((a, b) => times[a] - times[b] || a - b);
  const byBest = (a: DropSpanMatch, b: DropSpanMatch) =>
    b.confidence - a.confidence || spans.startUs[a.spanIndex] - spans.startUs[b.spanIndex] || a.spanIndex - b.spanIndex;
  const out: DropSpanMatch[] = [];
  for (const k of order) {
    const e = matched[k];
    const own = grouped.slice(starts[e], starts[e + 1]);
    if (own.length > 1) {
      own.sort(byBest);
    }
    for (const m of own) {
      out.push(m);
    }
  }
  return out;
}
