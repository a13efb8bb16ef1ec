// Finds every (event, span) pair of the same pod whose intervals overlap, without sorting: spans are hashed by
// (pod, time bucket) into a compact index built with a counting pass, and each event probes only its own buckets.
// Work is O(spans × buckets per span + events × buckets per event + candidates); columns live in typed arrays.
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

const NO_GROUP = -1;
// A span covering more buckets than this is kept in its pod's list of long spans instead of every bucket.
const MAX_BUCKETS_PER_SPAN = 32;

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
      sp.add(i, id, span.startUs - slack, span.endUs + slack);
    }
  }
  if (sp.size > 0) {
    probe(ev, sp, groupIds.size, visit);
  }
}

// One side of the join as columns: input index, pod group, interval.
class MemberColumns {
  size = 0;
  readonly index: Uint32Array;
  readonly group: Uint32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;

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
}

// Buckets of equal width over the spans' time range; about two per span and pod keeps buckets short.
function probe(
  ev: MemberColumns,
  sp: MemberColumns,
  groups: number,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < sp.size; k++) {
    min = Math.min(min, sp.start[k]);
    max = Math.max(max, sp.end[k]);
  }
  const perGroup = Math.max(1, Math.min(1 << 16, Math.floor((2 * sp.size) / groups)));
  const width = Math.max(1, (max - min) / perGroup);
  const last = perGroup - 1;
  const bucketOf = (t: number) => Math.min(last, Math.max(0, Math.floor((t - min) / width)));

  // Counting pass, prefix sums, fill: a CSR index from (group, bucket) to span positions.
  const offsets = new Uint32Array(groups * perGroup + 1);
  const longCount = new Uint32Array(groups + 1);
  // Each span's first and last bucket, computed once for both passes.
  const first = new Uint32Array(sp.size);
  const lastOf = new Uint32Array(sp.size);
  for (let k = 0; k < sp.size; k++) {
    const b0 = bucketOf(sp.start[k]);
    const b1 = bucketOf(sp.end[k]);
    first[k] = b0;
    lastOf[k] = b1;
    if (b1 - b0 >= MAX_BUCKETS_PER_SPAN) {
      longCount[sp.group[k] + 1]++;
      continue;
    }
    const base = sp.group[k] * perGroup + 1;
    for (let b = b0; b <= b1; b++) {
      offsets[base + b]++;
    }
  }
  for (let x = 1; x < offsets.length; x++) {
    offsets[x] += offsets[x - 1];
  }
  for (let g = 1; g <= groups; g++) {
    longCount[g] += longCount[g - 1];
  }
  const entries = new Uint32Array(offsets[offsets.length - 1]);
  const longSpans = new Uint32Array(longCount[groups]);
  const fill = offsets.slice(0, offsets.length - 1);
  const longFill = longCount.slice(0, groups);
  for (let k = 0; k < sp.size; k++) {
    const b0 = first[k];
    const b1 = lastOf[k];
    if (b1 - b0 >= MAX_BUCKETS_PER_SPAN) {
      longSpans[longFill[sp.group[k]]++] = k;
      continue;
    }
    const base = sp.group[k] * perGroup;
    for (let b = b0; b <= b1; b++) {
      entries[fill[base + b]++] = k;
    }
  }

  for (let j = 0; j < ev.size; j++) {
    const g = ev.group[j];
    const t0 = ev.start[j];
    const t1 = ev.end[j];
    if (t1 < min || t0 > max) {
      continue;
    }
    const e0 = bucketOf(t0);
    const e1 = bucketOf(t1);
    const base = g * perGroup;
    for (let b = e0; b <= e1; b++) {
      for (let x = offsets[base + b]; x < offsets[base + b + 1]; x++) {
        const k = entries[x];
        // A pair whose intervals meet in several buckets is reported from the first of them only.
        if (sp.start[k] <= t1 && sp.end[k] >= t0 && b === Math.max(e0, first[k])) {
          visit(ev.index[j], sp.index[k]);
        }
      }
    }
    for (let x = longCount[g]; x < longCount[g + 1]; x++) {
      const k = longSpans[x];
      if (sp.start[k] <= t1 && sp.end[k] >= t0) {
        visit(ev.index[j], sp.index[k]);
      }
    }
  }
}

export function eventEnd(event: NetworkEvent): number {
  return event.endTime !== undefined && event.endTime > event.time ? event.endTime : event.time;
}
