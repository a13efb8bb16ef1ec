// Finds every (event, span) pair of the same pod whose intervals overlap, in one pass over the spans: the
// (fewer) events are hashed by (pod, time bucket) into a compact index built with a counting pass, and each
// span probes only the buckets of its own pod that its interval covers. Nothing is sorted; work is
// O(events × buckets per event + spans × buckets per span + candidates).
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
// An event covering more buckets than this is kept in its pod's list of long events instead of every bucket.
const MAX_BUCKETS_PER_EVENT = 32;

export function forEachPodOverlap(
  events: readonly NetworkEvent[],
  spans: readonly Span[],
  options: PodOverlapOptions,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  const slack = Math.max(0, options.slackUs);
  const groupIds = new Map<string, number>();
  const ev = new EventColumns(events.length * 3);
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
  const index = new EventIndex(ev, groupIds.size);
  // Spans of one process share their resource object; its pod group is looked up once.
  const groupByResource = new Map<Attributes, number>();
  const spanKinds = options.spanKinds;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (spanKinds && !spanKinds.includes(span.kind)) {
      continue;
    }
    let group = groupByResource.get(span.resource);
    if (group === undefined) {
      const key = spanPodKey(span);
      group = (key === undefined ? undefined : groupIds.get(key)) ?? NO_GROUP;
      groupByResource.set(span.resource, group);
    }
    if (group !== NO_GROUP) {
      index.probe(group, span.startUs - slack, span.endUs + slack, i, visit);
    }
  }
}

// Events as columns: input index, pod group, interval.
class EventColumns {
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

// (group, bucket) → events, as offsets into one array (CSR); equal-width buckets over the events' time range,
// about two per event and pod so that buckets stay short.
class EventIndex {
  private readonly min: number;
  private readonly max: number;
  private readonly width: number;
  private readonly perGroup: number;
  private readonly first: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly entries: Uint32Array;
  private readonly longOffsets: Uint32Array;
  private readonly longEntries: Uint32Array;

  constructor(
    private readonly ev: EventColumns,
    groups: number
  ) {
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0; k < ev.size; k++) {
      min = Math.min(min, ev.start[k]);
      max = Math.max(max, ev.end[k]);
    }
    this.min = min;
    this.max = max;
    this.perGroup = Math.max(1, Math.min(1 << 16, Math.floor((2 * ev.size) / groups)));
    this.width = Math.max(1, (max - min) / this.perGroup);
    const perGroup = this.perGroup;
    this.first = new Uint32Array(ev.size);
    const last = new Uint32Array(ev.size);
    this.offsets = new Uint32Array(groups * perGroup + 1);
    this.longOffsets = new Uint32Array(groups + 1);
    for (let k = 0; k < ev.size; k++) {
      const b0 = this.bucketOf(ev.start[k]);
      const b1 = this.bucketOf(ev.end[k]);
      this.first[k] = b0;
      last[k] = b1;
      if (b1 - b0 >= MAX_BUCKETS_PER_EVENT) {
        this.longOffsets[ev.group[k] + 1]++;
        continue;
      }
      const base = ev.group[k] * perGroup + 1;
      for (let b = b0; b <= b1; b++) {
        this.offsets[base + b]++;
      }
    }
    for (let x = 1; x < this.offsets.length; x++) {
      this.offsets[x] += this.offsets[x - 1];
    }
    for (let g = 1; g <= groups; g++) {
      this.longOffsets[g] += this.longOffsets[g - 1];
    }
    this.entries = new Uint32Array(this.offsets[this.offsets.length - 1]);
    this.longEntries = new Uint32Array(this.longOffsets[groups]);
    const fill = this.offsets.slice(0, this.offsets.length - 1);
    const longFill = this.longOffsets.slice(0, groups);
    for (let k = 0; k < ev.size; k++) {
      const b0 = this.first[k];
      const b1 = last[k];
      if (b1 - b0 >= MAX_BUCKETS_PER_EVENT) {
        this.longEntries[longFill[ev.group[k]]++] = k;
        continue;
      }
      const base = ev.group[k] * perGroup;
      for (let b = b0; b <= b1; b++) {
        this.entries[fill[base + b]++] = k;
      }
    }
  }

  private bucketOf(t: number): number {
    return Math.min(this.perGroup - 1, Math.max(0, Math.floor((t - this.min) / this.width)));
  }

  probe(
    group: number,
    lo: number,
    hi: number,
    spanIndex: number,
    visit: (eventIndex: number, spanIndex: number) => void
  ): void {
    if (hi < this.min || lo > this.max) {
      return;
    }
    const { ev, entries, offsets, first } = this;
    const s0 = this.bucketOf(lo);
    const s1 = this.bucketOf(hi);
    const base = group * this.perGroup;
    for (let b = s0; b <= s1; b++) {
      for (let x = offsets[base + b]; x < offsets[base + b + 1]; x++) {
        const k = entries[x];
        // A pair whose intervals meet in several buckets is reported from the first of them only.
        if (ev.start[k] <= hi && ev.end[k] >= lo && b === Math.max(s0, first[k])) {
          visit(ev.index[k], spanIndex);
        }
      }
    }
    for (let x = this.longOffsets[group]; x < this.longOffsets[group + 1]; x++) {
      const k = this.longEntries[x];
      if (ev.start[k] <= hi && ev.end[k] >= lo) {
        visit(ev.index[k], spanIndex);
      }
    }
  }
}

export function eventEnd(event: NetworkEvent): number {
  return event.endTime !== undefined && event.endTime > event.time ? event.endTime : event.time;
}
