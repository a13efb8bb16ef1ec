// Drop ↔ CLIENT-span interval join: candidates from the pod sweep, each scored and explained.
import type { NetworkEvent } from '../../model/events';
import type { Span } from '../clients/tempoSpan';
import { endpointNames, spanDestination, type EndpointNames } from './destination';
import { forEachPodOverlap } from './podOverlap';
import { scoreDropSpan, spanFacts, type DropSpanEvidence, type SpanFacts } from './scoreDropSpan';

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
  const facts = new Map<number, SpanFacts>();
  const dstNames: Array<EndpointNames | undefined> = [];
  const matches: DropSpanMatch[] = [];
  const overlap = {
    slackUs: options.slackUs,
    eventKinds: options.eventKinds ?? DEFAULT_KINDS,
    spanKinds: ['client'] as const,
  };
  forEachPodOverlap(events, spans, overlap, (eventIndex, spanIndex) => {
    let spanFact = facts.get(spanIndex);
    if (!spanFact) {
      spanFact = spanFacts(spans[spanIndex], spanDestination(spans[spanIndex]));
      facts.set(spanIndex, spanFact);
    }
    const names = (dstNames[eventIndex] ??= endpointNames(events[eventIndex].dst));
    const scored = scoreDropSpan(events[eventIndex], spans[spanIndex], spanFact, names);
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
