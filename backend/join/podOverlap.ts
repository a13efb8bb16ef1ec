// Finds every (event, span) pair of the same pod whose intervals overlap: hash by pod, then sweep start times.
// Work is O((n + m) log(n + m) + pairs); columns live in typed arrays so a million spans stay cheap.
import type { NetworkEvent } from '../../model/events';
import type { Attributes, Span, SpanKind } from '../clients/tempoSpan';
import { endpointPodKeys, spanPodKey } from './podKey';

export interface PodOverlapOptions {
  // Added on both sides of a span, in microseconds.
  slackUs: number;
  eventKinds: ReadonlyArray<NetworkEvent['kind']>;
  // Which span kinds take part (all when omitted).
  spanKinds?: readonly SpanKind[];
}

// Members of all groups: perm lists column positions group by group, each group's slice ordered by start.
interface GroupedMembers {
  index: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  perm: Uint32Array;
  offsets: Uint32Array;
}

export function forEachPodOverlap(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  options: PodOverlapOptions,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  const slack = Math.max(0, options.slackUs);
  const groupIds = new Map<string, number>();
  const ev = new MemberColumns(events.length * 3);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!options.eventKinds.includes(event.kind)) {
      continue;
    }
    for (const key of endpointPodKeys(event.src)) {
      let id = groupIds.get(key);
      if (id === undefined) {
        id = groupIds.size;
        groupIds.set(key, id);
      }
      ev.add(i, id, event.time, eventEnd(event));
    }
  }
  if (ev.size === 0) {
    return;
  }
  const sp = new MemberColumns(spans.length);
  // Spans of one process share their resource object; its key is computed once.
  const keyByResource = new Map<Attributes, number>();
  const spanKinds = options.spanKinds;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (spanKinds && !spanKinds.includes(span.kind)) {
      continue;
    }
    let id = keyByResource.get(span.resource);
    if (id === undefined) {
      const key = spanPodKey(span);
      id = (key === undefined ? undefined : groupIds.get(key)) ?? NO_GROUP;
      keyByResource.set(span.resource, id);
    }
    if (id !== NO_GROUP) {
      // Read while the span object is in cache; the sort and sweep then touch only typed arrays.
      sp.add(i, id, span.startUs - slack, span.endUs + slack);
    }
  }
  const groups = groupIds.size;
  const e = ev.grouped(groups);
  const s = sp.grouped(groups);
  for (let g = 0; g < groups; g++) {
    if (s.offsets[g] < s.offsets[g + 1]) {
      sweepGroup(e, s, e.offsets[g], e.offsets[g + 1], s.offsets[g], s.offsets[g + 1], visit);
    }
  }
}

const NO_GROUP = -1;

// Positions 0..n-1 ordered by start, ties by position (= input order). When the range allows, start and
// position are packed into one exact double so the engine's native numeric sort does the work.
export function sortedOrder(start: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    min = Math.min(min, start[k]);
    max = Math.max(max, start[k]);
  }
  const range = max - min;
  const integral = start.subarray(0, n).every(Number.isInteger);
  if (n > 0 && integral && (range + 1) * n < Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      packed[k] = (start[k] - min) * n + k;
    }
    packed.sort();
    for (let k = 0; k < n; k++) {
      order[k] = packed[k] % n;
    }
    return order;
  }
  for (let k = 0; k < n; k++) {
    order[k] = k;
  }
  return order.sort((a, b) => start[a] - start[b] || a - b);
}

// One side of the join as columns: input index, pod group, interval.
class MemberColumns {
  size = 0;
  private readonly index: Uint32Array;
  private readonly group: Uint32Array;
  private readonly start: Float64Array;
  private readonly end: Float64Array;

  constructor(capacity: number) {
    this.index = new Uint32Array(capacity);
    this.group = new Uint32Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
  }

  add(index: number, group: number, start: number, end: number): void {
    const k = this.size++;
    this.index[k] = index;
    this.group[k] = group;
    this.start[k] = start;
    this.end[k] = end;
  }

  // Sorts by start once, then places members into their group with a counting sort,
  // which keeps each group's slice in start order.
  grouped(groups: number): GroupedMembers {
    const n = this.size;
    const { index, group, start, end } = this;
    const order = sortedOrder(start, n);
    const offsets = new Uint32Array(groups + 1);
    for (let k = 0; k < n; k++) {
      offsets[group[k] + 1]++;
    }
    for (let g = 0; g < groups; g++) {
      offsets[g + 1] += offsets[g];
    }
    const fill = offsets.slice(0, groups);
    const perm = new Uint32Array(n);
    for (let o = 0; o < n; o++) {
      const k = order[o];
      perm[fill[group[k]]++] = k;
    }
    return { index, start, end, perm, offsets };
  }
}

// Merges both sides in start order; each new interval meets every still-open interval of the other side,
// and closed ones are dropped the first time they are seen, so each visit either emits a pair or retires one.
function sweepGroup(
  e: GroupedMembers,
  s: GroupedMembers,
  eFrom: number,
  eTo: number,
  sFrom: number,
  sTo: number,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  // Open members are column positions, not perm positions.
  const openSpans: number[] = [];
  const openEvents: number[] = [];
  let i = sFrom;
  let j = eFrom;
  while (i < sTo || j < eTo) {
    const si = i < sTo ? s.perm[i] : 0;
    const ej = j < eTo ? e.perm[j] : 0;
    if (j >= eTo || (i < sTo && s.start[si] <= e.start[ej])) {
      if (j >= eTo && openEvents.length === 0) {
        return;
      }
      const start = s.start[si];
      let kept = 0;
      for (const o of openEvents) {
        if (e.end[o] >= start) {
          visit(e.index[o], s.index[si]);
          openEvents[kept++] = o;
        }
      }
      openEvents.length = kept;
      openSpans.push(si);
      i++;
    } else {
      if (i >= sTo && openSpans.length === 0) {
        return;
      }
      const start = e.start[ej];
      let kept = 0;
      for (const o of openSpans) {
        if (s.end[o] >= start) {
          visit(e.index[ej], s.index[o]);
          openSpans[kept++] = o;
        }
      }
      openSpans.length = kept;
      openEvents.push(ej);
      j++;
    }
  }
}

export function eventEnd(event: NetworkEvent): number {
  return event.endTime !== undefined && event.endTime > event.time ? event.endTime : event.time;
}
