// Finds every (event, span) pair of the same pod whose intervals overlap, in one pass over the span columns:
// the (fewer) events are hashed by (pod, time bucket) into a compact index built with a counting pass, and each
// span probes only the buckets of its own pod that its interval covers. Nothing is sorted; work is
// O(events × buckets per event + spans × buckets per span + candidates).
import type { Endpoint, NetworkEvent } from '../../model/events';
import { SPAN_KINDS, type SpanBatch } from '../clients/spanBatch';
import type { Attributes, SpanKind } from '../clients/tempoSpan';
import { visitEndpointPodIdentities, visitResourcePodIdentity, type PodIdentityForm } from './podIdentity';

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
  spans: SpanBatch,
  options: PodOverlapOptions,
  visit: (eventIndex: number, spanIndex: number) => void
): void {
  const slack = Math.max(0, options.slackUs);
  // Groups are the pod identities some span carries; event identities no span uses are never indexed.
  const groups = new PodGroups();
  const groupOfResource = Int32Array.from(spans.resources, (resource) => groups.addResource(resource));
  const ev = new EventColumns(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (options.eventKinds.includes(event.kind)) {
      groups.forEachGroupOf(event.src, (group) => ev.add(i, group, event.time, eventEnd(event)));
    }
  }
  if (ev.size === 0) {
    return;
  }
  const index = new EventIndex(ev, groups.size);
  const kindTakesPart = new Uint8Array(SPAN_KINDS.length);
  SPAN_KINDS.forEach(
    (kind, code) => (kindTakesPart[code] = !options.spanKinds || options.spanKinds.includes(kind) ? 1 : 0)
  );
  const { kind, resource, startUs, endUs } = spans;
  for (let i = 0; i < spans.size; i++) {
    const group = groupOfResource[resource[i]];
    if (group !== NO_GROUP && kindTakesPart[kind[i]] === 1) {
      index.probe(group, startUs[i] - slack, endUs[i] + slack, i, visit);
    }
  }
}

// The pod identities of span resources (namespace/pod, bare pod name, pod IP; the most specific one a resource
// has), found again for an event endpoint by map lookups, without building key strings.
class PodGroups {
  size = 0;
  private readonly byNamespacedPod = new Map<string, Map<string, number>>();
  private readonly byPod = new Map<string, number>();
  private readonly byIp = new Map<string, number>();

  addResource(resource: Attributes): number {
    let group = NO_GROUP;
    visitResourcePodIdentity(resource, (form, name, namespace) => (group = this.idIn(this.mapOf(form, namespace), name)));
    return group;
  }

  // Every group an endpoint belongs to, in the forms visitEndpointPodIdentities lists.
  forEachGroupOf(endpoint: Endpoint, visit: (group: number) => void): void {
    visitEndpointPodIdentities(endpoint, (form, name, namespace) => {
      const group = this.lookup(form, name, namespace);
      if (group !== undefined) {
        visit(group);
      }
    });
  }

  private lookup(form: PodIdentityForm, name: string, namespace?: string): number | undefined {
    if (form === 'namespacedPod') {
      return this.byNamespacedPod.get(namespace ?? '')?.get(name);
    }
    return (form === 'pod' ? this.byPod : this.byIp).get(name);
  }

  private mapOf(form: PodIdentityForm, namespace?: string): Map<string, number> {
    if (form !== 'namespacedPod') {
      return form === 'pod' ? this.byPod : this.byIp;
    }
    let pods = this.byNamespacedPod.get(namespace ?? '');
    if (!pods) {
      pods = new Map();
      this.byNamespacedPod.set(namespace ?? '', pods);
    }
    return pods;
  }

  private idIn(map: Map<string, number>, key: string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = this.size++;
      map.set(key, id);
    }
    return id;
  }
}

// Events as columns: input index, pod group, interval; grows as keys are added.
class EventColumns {
  size = 0;
  index: Uint32Array;
  group: Uint32Array;
  start: Float64Array;
  end: Float64Array;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.index = new Uint32Array(n);
    this.group = new Uint32Array(n);
    this.start = new Float64Array(n);
    this.end = new Float64Array(n);
  }

  add(index: number, group: number, start: number, end: number): void {
    if (this.size === this.index.length) {
      this.grow();
    }
    const k = this.size++;
    this.index[k] = index;
    this.group[k] = group;
    this.start[k] = start;
    this.end[k] = end;
  }

  private grow(): void {
    const n = this.index.length * 2;
    const index = new Uint32Array(n);
    const group = new Uint32Array(n);
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    index.set(this.index);
    group.set(this.group);
    start.set(this.start);
    end.set(this.end);
    Object.assign(this, { index, group, start, end });
  }
}

// One index entry, stored inline so that a probe reads a bucket's events from one contiguous run of memory.
const ENTRY_START = 0;
const ENTRY_END = 1;
const ENTRY_FIRST_BUCKET = 2;
const ENTRY_EVENT = 3;
const ENTRY_STRIDE = 4;

// (group, bucket) → events, as offsets into one array (CSR); equal-width buckets over the events' time range,
// about two per event and pod so that buckets stay short.
class EventIndex {
  private readonly min: number;
  private readonly max: number;
  private readonly width: number;
  private readonly perGroup: number;
  private readonly offsets: Uint32Array;
  private readonly entries: Float64Array;
  private readonly longOffsets: Uint32Array;
  private readonly longEntries: Float64Array;

  constructor(ev: EventColumns, groups: number) {
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
    const first = new Uint32Array(ev.size);
    const last = new Uint32Array(ev.size);
    this.offsets = new Uint32Array(groups * perGroup + 1);
    this.longOffsets = new Uint32Array(groups + 1);
    for (let k = 0; k < ev.size; k++) {
      const b0 = this.bucketOf(ev.start[k]);
      const b1 = this.bucketOf(ev.end[k]);
      first[k] = b0;
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
    this.entries = new Float64Array(this.offsets[this.offsets.length - 1] * ENTRY_STRIDE);
    this.longEntries = new Float64Array(this.longOffsets[groups] * ENTRY_STRIDE);
    const fill = this.offsets.slice(0, this.offsets.length - 1);
    const longFill = this.longOffsets.slice(0, groups);
    for (let k = 0; k < ev.size; k++) {
      const b0 = first[k];
      const b1 = last[k];
      if (b1 - b0 >= MAX_BUCKETS_PER_EVENT) {
        writeEntry(this.longEntries, longFill[ev.group[k]]++, ev, k, b0);
        continue;
      }
      const base = ev.group[k] * perGroup;
      for (let b = b0; b <= b1; b++) {
        writeEntry(this.entries, fill[base + b]++, ev, k, b0);
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
    const { entries, offsets } = this;
    const s0 = this.bucketOf(lo);
    const s1 = this.bucketOf(hi);
    const base = group * this.perGroup;
    for (let b = s0; b <= s1; b++) {
      const to = offsets[base + b + 1] * ENTRY_STRIDE;
      for (let x = offsets[base + b] * ENTRY_STRIDE; x < to; x += ENTRY_STRIDE) {
        // A pair whose intervals meet in several buckets is reported from the first of them only.
        if (
          entries[x + ENTRY_START] <= hi &&
          entries[x + ENTRY_END] >= lo &&
          b === Math.max(s0, entries[x + ENTRY_FIRST_BUCKET])
        ) {
          visit(entries[x + ENTRY_EVENT], spanIndex);
        }
      }
    }
    const longEntries = this.longEntries;
    const to = this.longOffsets[group + 1] * ENTRY_STRIDE;
    for (let x = this.longOffsets[group] * ENTRY_STRIDE; x < to; x += ENTRY_STRIDE) {
      if (longEntries[x + ENTRY_START] <= hi && longEntries[x + ENTRY_END] >= lo) {
        visit(longEntries[x + ENTRY_EVENT], spanIndex);
      }
    }
  }
}

function writeEntry(entries: Float64Array, slot: number, ev: EventColumns, k: number, firstBucket: number): void {
  const x = slot * ENTRY_STRIDE;
  entries[x + ENTRY_START] = ev.start[k];
  entries[x + ENTRY_END] = ev.end[k];
  entries[x + ENTRY_FIRST_BUCKET] = firstBucket;
  entries[x + ENTRY_EVENT] = ev.index[k];
}

export function eventEnd(event: NetworkEvent): number {
  return event.endTime !== undefined && event.endTime > event.time ? event.endTime : event.time;
}
