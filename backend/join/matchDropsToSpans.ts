// Drop ↔ CLIENT-span interval join: candidates from the pod sweep, each scored and explained.
import type { NetworkEvent } from '../../model/events';
import type { Span } from '../clients/tempoSpan';
import { endpointNames, spanDestination, type SpanDestination } from './destination';
import { forEachPodOverlap } from './podOverlap';
import { scoreDropSpan, type DropSpanEvidence } from './scoreDropSpan';

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
  spans: readonly Span[],
  options: DropSpanJoinOptions
): DropSpanMatch[] {
  const minConfidence = options.minConfidence ?? 0;
  // Computed on first use: most spans and events never meet a partner.
  const destinations = new Map<number, SpanDestination>();
  const dstNames: Array<string[] | undefined> = [];
  const matches: DropSpanMatch[] = [];
  const overlap = {
    slackUs: options.slackUs,
    eventKinds: options.eventKinds ?? DEFAULT_KINDS,
    spanKinds: ['client'] as const,
  };
  forEachPodOverlap(events, spans, overlap, (eventIndex, spanIndex) => {
    let destination = destinations.get(spanIndex);
    if (!destination) {
      destination = spanDestination(spans[spanIndex]);
      destinations.set(spanIndex, destination);
    }
    const names = (dstNames[eventIndex] ??= endpointNames(events[eventIndex].dst));
    const scored = scoreDropSpan(events[eventIndex], spans[spanIndex], destination, names);
    if (scored.confidence >= minConfidence) {
      matches.push({ eventIndex, spanIndex, ...scored });
    }
  });
  return matches.sort((a, b) => compareMatches(a, b, events, spans));
}

function compareMatches(
  a: DropSpanMatch,
  b: DropSpanMatch,
  events: readonly NetworkEvent[],
  spans: readonly Span[]
): number {
  return (
    events[a.eventIndex].time - events[b.eventIndex].time ||
    a.eventIndex - b.eventIndex ||
    b.confidence - a.confidence ||
    spans[a.spanIndex].startUs - spans[b.spanIndex].startUs ||
    a.spanIndex - b.spanIndex
  );
}
