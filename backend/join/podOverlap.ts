// Finds every (event, span) pair of the same pod whose intervals overlap: hash by pod, then sweep start times.
import type { NetworkEvent } from '../../model/events';
import type { Span, SpanKind } from '../clients/tempoSpan';
import { endpointPodKeys, spanPodKey } from './podKey';

export interface PodOverlapOptions {
  // Added on both sides of a span, in microseconds.
  slackUs: number;
  eventKinds: ReadonlyArray<NetworkEvent['kind']>;
  // Which span kinds take part (all when omitted).
  spanKinds?: readonly SpanKind[];
}

export function forEachPodOverlap(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  options: PodOverlapOptions,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  const slack = Math.max(0, options.slackUs);
  for (const group of groupByPod(events, spans, options).values()) {
    if (group.spans.length > 0 && group.events.length > 0) {
      sweepGroup(group, events, spans, slack, visit);
    }
  }
}

interface PodGroup {
  spans: number[];
  events: number[];
}

function groupByPod(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  options: PodOverlapOptions
): Map<string, PodGroup> {
  const kinds = options.eventKinds;
  const spanKinds = options.spanKinds;
  const groups = new Map<string, PodGroup>();
  const groupFor = (key: string) => {
    let group = groups.get(key);
    if (!group) {
      group = { spans: [], events: [] };
      groups.set(key, group);
    }
    return group;
  };
  for (let i = 0; i < events.length; i++) {
    if (!kinds.includes(events[i].kind)) {
      continue;
    }
    for (const key of endpointPodKeys(events[i].src)) {
      groupFor(key).events.push(i);
    }
  }
  for (let i = 0; i < spans.length; i++) {
    if (spanKinds && !spanKinds.includes(spans[i].kind)) {
      continue;
    }
    const key = spanPodKey(spans[i]);
    // Only pods that have failures are worth a group; the rest of the spans cost one lookup each.
    const group = key === undefined ? undefined : groups.get(key);
    if (group) {
      group.spans.push(i);
    }
  }
  return groups;
}

// Merges spans (by start − slack) and events (by time) in start order; each new interval meets every
// still-open interval of the other side, and closed ones are dropped the first time they are seen.
function sweepGroup(
  group: PodGroup,
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  slack: number,
  emit: (eventIndex: number, spanIndex: number) => void
): void {
  const spanOrder = group.spans.sort((a, b) => spans[a].startUs - spans[b].startUs || a - b);
  const eventOrder = group.events.sort((a, b) => events[a].time - events[b].time || a - b);
  const openSpans: number[] = [];
  const openEvents: number[] = [];
  let i = 0;
  let j = 0;
  while (i < spanOrder.length || j < eventOrder.length) {
    const spanFirst =
      j >= eventOrder.length ||
      (i < spanOrder.length && spans[spanOrder[i]].startUs - slack <= events[eventOrder[j]].time);
    if (spanFirst) {
      if (j >= eventOrder.length && openEvents.length === 0) {
        return;
      }
      const s = spanOrder[i++];
      const start = spans[s].startUs - slack;
      let kept = 0;
      for (const e of openEvents) {
        if (eventEnd(events[e]) >= start) {
          emit(e, s);
          openEvents[kept++] = e;
        }
      }
      openEvents.length = kept;
      openSpans.push(s);
    } else {
      if (i >= spanOrder.length && openSpans.length === 0) {
        return;
      }
      const e = eventOrder[j++];
      const start = events[e].time;
      let kept = 0;
      for (const s of openSpans) {
        if (spans[s].endUs + slack >= start) {
          emit(e, s);
          openSpans[kept++] = s;
        }
      }
      openSpans.length = kept;
      openEvents.push(e);
    }
  }
}

export function eventEnd(event: NetworkEvent): number {
  return event.endTime !== undefined && event.endTime > event.time ? event.endTime : event.time;
}
