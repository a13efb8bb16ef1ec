// The agent's recent window: events kept in time order under a byte cap, with indexes by pod, trace id and 5-tuple.
import { matchesEventFilter, type EventFilter } from '../../model/eventFilter';
import type { NetworkEvent } from '../../model/events';
import { estimateEventBytes } from './eventSize';

export interface EventQuery extends EventFilter {
  fromUs: number;
  toUs: number;
  limit: number;
}

export interface EventQueryResult {
  events: NetworkEvent[];
  truncated: boolean;
}

interface StoredEvent {
  event: NetworkEvent;
  bytes: number;
  evicted: boolean;
}

export interface EventStoreOptions {
  maxBytes: number;
}

// Events are bucketed by second of their time: late arrivals (a flow reported when it closes) cost O(1) to file,
// eviction takes whole oldest buckets first, and a time-range query visits only the buckets it overlaps.
const BUCKET_US = 1_000_000;

interface Bucket {
  items: StoredEvent[];
  // Items before head were evicted.
  head: number;
}

export class EventStore {
  private readonly buckets = new Map<number, Bucket>();
  // Bucket keys in ascending order.
  private keys: number[] = [];
  private readonly byPod = new Map<string, IndexList>();
  private readonly byTraceId = new Map<string, IndexList>();
  private readonly byTuple = new Map<string, IndexList>();
  // Events that may be published again in a newer version, by id.
  private readonly byId = new Map<string, StoredEvent>();
  private count = 0;
  bytes = 0;
  evictions = 0;

  constructor(private readonly options: EventStoreOptions) {}

  get size(): number {
    return this.count;
  }

  add(event: NetworkEvent): void {
    if (event.id !== undefined && this.replaceVersion(event.id, event)) {
      return;
    }
    const stored: StoredEvent = { event, bytes: estimateEventBytes(event), evicted: false };
    const key = Math.floor(event.time / BUCKET_US);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { items: [], head: 0 };
      this.buckets.set(key, bucket);
      this.insertKey(key);
    }
    bucket.items.push(stored);
    this.count++;
    this.bytes += stored.bytes;
    for (const pod of podKeys(event)) {
      pushIndex(this.byPod, pod, stored);
    }
    if (event.traceId) {
      pushIndex(this.byTraceId, event.traceId, stored);
    }
    pushIndex(this.byTuple, tupleKey(event), stored);
    if (event.id !== undefined) {
      this.byId.set(event.id, stored);
    }
    while (this.bytes > this.options.maxBytes && this.count > 1) {
      this.evictOldest();
    }
  }

  query(q: EventQuery): EventQueryResult {
    const matched: NetworkEvent[] = [];
    const consider = (s: StoredEvent) => {
      if (!s.evicted && matches(s.event, q)) {
        matched.push(s.event);
      }
    };
    if (q.traceId) {
      this.byTraceId.get(q.traceId)?.items.forEach(consider);
    } else if (q.pod) {
      this.byPod.get(q.namespace ? `${q.namespace}/${q.pod}` : q.pod)?.items.forEach(consider);
    } else {
      this.forEachInRange(q.fromUs, q.toUs, consider);
    }
    matched.sort((a, b) => a.time - b.time);
    // The newest events are the useful ones in a recent window.
    const truncated = matched.length > q.limit;
    return { events: truncated ? matched.slice(matched.length - q.limit) : matched, truncated };
  }

  // Events of one connection (both directions), for joins that start from a 5-tuple.
  byConnection(srcIp: string, srcPort: number | undefined, dstIp: string, dstPort: number | undefined): NetworkEvent[] {
    const forward = this.byTuple.get(`${srcIp}:${srcPort ?? ''}>${dstIp}:${dstPort ?? ''}`)?.items ?? [];
    const reverse = this.byTuple.get(`${dstIp}:${dstPort ?? ''}>${srcIp}:${srcPort ?? ''}`)?.items ?? [];
    return [...forward, ...reverse].filter((s) => !s.evicted).map((s) => s.event);
  }

  // Every live event in a time range, in time order (for topology).
  range(fromUs: number, toUs: number): NetworkEvent[] {
    const out: NetworkEvent[] = [];
    this.forEachInRange(fromUs, toUs, (s) => {
      if (s.event.time >= fromUs && s.event.time <= toUs) {
        out.push(s.event);
      }
    });
    return out.sort((a, b) => a.time - b.time);
  }

  // Every live event in bucket order, unsorted and uncopied: for reads over the whole window (which pods it names).
  forEach(visit: (event: NetworkEvent) => void): void {
    this.forEachInRange(-Infinity, Infinity, (s) => visit(s.event));
  }

  private forEachInRange(fromUs: number, toUs: number, visit: (s: StoredEvent) => void): void {
    const last = Math.floor(toUs / BUCKET_US);
    for (
      let i = lowerBound(this.keys, Math.floor(fromUs / BUCKET_US));
      i < this.keys.length && this.keys[i] <= last;
      i++
    ) {
      const bucket = this.buckets.get(this.keys[i])!;
      for (let j = bucket.head; j < bucket.items.length; j++) {
        visit(bucket.items[j]);
      }
    }
  }

  private insertKey(key: number): void {
    const keys = this.keys;
    if (keys.length === 0 || keys[keys.length - 1] < key) {
      keys.push(key);
    } else {
      keys.splice(lowerBound(keys, key), 0, key);
    }
  }

  private evictOldest(): void {
    const key = this.keys[0];
    const bucket = this.buckets.get(key)!;
    // Within the oldest second, events leave in arrival order.
    const s = bucket.items[bucket.head++];
    if (bucket.head === bucket.items.length) {
      this.buckets.delete(key);
      this.keys.shift();
    }
    s.evicted = true;
    this.count--;
    this.bytes -= s.bytes;
    this.evictions++;
    for (const pod of podKeys(s.event)) {
      dropIndex(this.byPod, pod, s);
    }
    if (s.event.traceId) {
      dropIndex(this.byTraceId, s.event.traceId, s);
    }
    dropIndex(this.byTuple, tupleKey(s.event), s);
    if (s.event.id !== undefined && this.byId.get(s.event.id) === s) {
      this.byId.delete(s.event.id);
    }
  }

  // A newer version of a stored event takes its place (same time, tuple and pods); an older one is ignored.
  private replaceVersion(id: string, event: NetworkEvent): boolean {
    const stored = this.byId.get(id);
    if (!stored || stored.evicted || Math.floor(stored.event.time / BUCKET_US) !== Math.floor(event.time / BUCKET_US)) {
      return false;
    }
    if ((event.revision ?? 0) >= (stored.event.revision ?? 0)) {
      const bytes = estimateEventBytes(event);
      this.bytes += bytes - stored.bytes;
      stored.bytes = bytes;
      stored.event = event;
    }
    return true;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

function matches(e: NetworkEvent, q: EventQuery): boolean {
  return e.time >= q.fromUs && e.time <= q.toUs && matchesEventFilter(e, q);
}

// Each end indexed both by bare pod name and by namespace/pod.
function podKeys(e: NetworkEvent): string[] {
  const keys: string[] = [];
  for (const end of [e.src, e.dst]) {
    if (end.pod) {
      keys.push(end.pod);
      if (end.namespace) {
        keys.push(`${end.namespace}/${end.pod}`);
      }
    }
  }
  return keys.length > 2 ? [...new Set(keys)] : keys;
}

function tupleKey(e: NetworkEvent): string {
  return `${e.src.ip}:${e.src.port ?? ''}>${e.dst.ip}:${e.dst.port ?? ''}`;
}

// An index entry list in arrival order; evicted entries are skipped by readers and compacted away in bulk.
interface IndexList {
  items: StoredEvent[];
  dead: number;
}

function pushIndex(index: Map<string, IndexList>, key: string, s: StoredEvent): void {
  const list = index.get(key);
  if (list) {
    list.items.push(s);
  } else {
    index.set(key, { items: [s], dead: 0 });
  }
}

function dropIndex(index: Map<string, IndexList>, key: string, s: StoredEvent): void {
  const list = index.get(key);
  if (!list) {
    return;
  }
  list.dead++;
  if (list.dead === list.items.length) {
    index.delete(key);
  } else if (list.dead * 2 > list.items.length) {
    list.items = list.items.filter((x) => x !== s && !x.evicted);
    list.dead = 0;
  }
}
