// Drop ↔ CLIENT-span interval join: candidates from the pod sweep, grouped by drop, each scored and explained.
import type { Endpoint, NetworkEvent } from '../../model/events';
import { STATUS_CODES, statusMessageAt, type SpanBatch } from '../clients/spanBatch';
import type { SpanStatus } from '../clients/tempoSpan';
import { attributesDestination, endpointNames, type EndpointNames, type SpanDestination } from './destination';
import type { FailureKind } from './failureKind';
import { forEachPodOverlap } from './podOverlap';
import { scoreDropSpan, spanFailureKind, type DropSpanEvidence, type ScoredSpan } from './scoreDropSpan';

export interface DropSpanMatch {
  eventIndex: number;
  spanIndex: number;
  confidence: number;
  why: string;
  evidence: DropSpanEvidence;
}

// Clock skew between agents, trace SDKs and kernels: a drop this far outside a span still counts as inside it.
export const DEFAULT_SLACK_MS = 500;

export interface DropSpanJoinOptions {
  // Added on both sides of a span, in microseconds.
  slackUs: number;
  // Event kinds that are failures to explain (default drop and reset).
  eventKinds?: ReadonlyArray<NetworkEvent['kind']>;
  // Pairs scored below this are not reported.
  minConfidence?: number;
  // Only spans this accepts are candidates (a trace id filter pushed into the join).
  spanFilter?: (spanIndex: number) => boolean;
}

const DEFAULT_KINDS: ReadonlyArray<NetworkEvent['kind']> = ['drop', 'reset'];

export function matchDropsToSpans(
  events: readonly NetworkEvent[],
  spans: SpanBatch,
  options: DropSpanJoinOptions
): DropSpanMatch[] {
  const minConfidence = options.minConfidence ?? 0;
  const overlap = {
    slackUs: options.slackUs,
    eventKinds: options.eventKinds ?? DEFAULT_KINDS,
    spanKinds: ['client'] as const,
  };
  const pairs = new CandidatePairs();
  const accept = options.spanFilter;
  forEachPodOverlap(events, spans, overlap, (eventIndex, spanIndex) => {
    if (!accept || accept(spanIndex)) {
      pairs.add(eventIndex, spanIndex);
    }
  });
  const byEvent = pairs.groupByEvent(events.length);
  const scorer = new PairScorer(spans);
  const matches: DropSpanMatch[] = [];
  // Drops in time order, each drop's spans best first; each drop is read once for all its candidates.
  for (const eventIndex of eventsInTimeOrder(byEvent.matched, events)) {
    const event = events[eventIndex];
    const names = scorer.namesOf(event.dst);
    const first = matches.length;
    for (let x = byEvent.starts[eventIndex]; x < byEvent.starts[eventIndex + 1]; x++) {
      const match = scorer.score(event, eventIndex, byEvent.spans[x], names);
      if (match.confidence >= minConfidence) {
        matches.push(match);
      }
    }
    if (matches.length - first > 1) {
      const own = matches.slice(first).sort((a, b) => compareCandidates(a, b, spans));
      own.forEach((m, k) => (matches[first + k] = m));
    }
  }
  return matches;
}

function compareCandidates(a: DropSpanMatch, b: DropSpanMatch, spans: SpanBatch): number {
  return (
    b.confidence - a.confidence || spans.startUs[a.spanIndex] - spans.startUs[b.spanIndex] || a.spanIndex - b.spanIndex
  );
}

// (event, span) candidates as two growing columns, grouped by event with a counting pass.
class CandidatePairs {
  private size = 0;
  private events = new Uint32Array(1024);
  private spans = new Uint32Array(1024);

  add(eventIndex: number, spanIndex: number): void {
    if (this.size === this.events.length) {
      const events = new Uint32Array(this.size * 2);
      const spans = new Uint32Array(this.size * 2);
      events.set(this.events);
      spans.set(this.spans);
      this.events = events;
      this.spans = spans;
    }
    this.events[this.size] = eventIndex;
    this.spans[this.size++] = spanIndex;
  }

  // starts[e]..starts[e + 1] index the spans of event e, in the order they were found (span order).
  groupByEvent(eventCount: number): { starts: Uint32Array; spans: Uint32Array; matched: number[] } {
    const starts = new Uint32Array(eventCount + 1);
    for (let x = 0; x < this.size; x++) {
      starts[this.events[x] + 1]++;
    }
    const matched: number[] = [];
    for (let e = 0; e < eventCount; e++) {
      if (starts[e + 1] > 0) {
        matched.push(e);
      }
      starts[e + 1] += starts[e];
    }
    const fill = starts.slice(0, eventCount);
    const spans = new Uint32Array(this.size);
    for (let x = 0; x < this.size; x++) {
      spans[fill[this.events[x]]++] = this.spans[x];
    }
    return { starts, spans, matched };
  }
}

function eventsInTimeOrder(indices: number[], events: readonly NetworkEvent[]): Uint32Array {
  const times = new Float64Array(indices.length);
  const order = new Uint32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    times[k] = events[indices[k]].time;
    order[k] = k;
  }
  order.sort((a, b) => times[a] - times[b] || a - b);
  return order.map((k) => indices[k]);
}

// Scores one candidate pair. What it needs of a span comes from values many spans share, each computed once
// on first use: the destination per attribute set, the status and failure kind per (status, message).
class PairScorer {
  private readonly destinations: Array<SpanDestination | undefined>;
  private readonly statuses = new Map<number, { status: SpanStatus; failureKind?: FailureKind }>();
  // Many drops go to the same few services.
  private readonly names = new Map<string, EndpointNames>();

  constructor(private readonly spans: SpanBatch) {
    this.destinations = new Array<SpanDestination | undefined>(spans.attributeSets.length);
  }

  score(event: NetworkEvent, eventIndex: number, spanIndex: number, names: EndpointNames): DropSpanMatch {
    const spans = this.spans;
    const set = spans.attributes[spanIndex];
    const destination = (this.destinations[set] ??= attributesDestination(spans.attributeSets[set]));
    const status = this.statusOf(spanIndex);
    const span: ScoredSpan = {
      startUs: spans.startUs[spanIndex],
      endUs: spans.endUs[spanIndex],
      status: status.status,
    };
    const scored = scoreDropSpan(event, span, { destination, failureKind: status.failureKind }, names);
    return { eventIndex, spanIndex, confidence: scored.confidence, why: scored.why, evidence: scored.evidence };
  }

  namesOf(endpoint: Endpoint): EndpointNames {
    const key = `${endpoint.service ?? ''}\u0000${endpoint.workload?.name ?? ''}\u0000${endpoint.pod ?? ''}\u0000${endpoint.namespace ?? ''}`;
    let names = this.names.get(key);
    if (!names) {
      names = endpointNames(endpoint);
      this.names.set(key, names);
    }
    return names;
  }

  private statusOf(spanIndex: number): { status: SpanStatus; failureKind?: FailureKind } {
    const spans = this.spans;
    const key = spans.status[spanIndex] + STATUS_CODES.length * (spans.statusMessage[spanIndex] + 1);
    let known = this.statuses.get(key);
    if (!known) {
      const code = STATUS_CODES[spans.status[spanIndex]];
      const message = statusMessageAt(spans, spanIndex);
      const status = { code, message };
      known = { status, failureKind: spanFailureKind(status) };
      this.statuses.set(key, known);
    }
    return known;
  }
}
