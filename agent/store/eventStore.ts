// The agent's recent window: events kept in time order under a byte cap, with indexes by pod, trace id and 5-tuple.
import type { EventKind, NetworkEvent } from '../../model/events';
import { estimateEventBytes } from './eventSize';

export interface EventQuery {
  fromUs: number;
  toUs: number;
  kinds?: Set<EventKind>;
  namespace?: string;
  pod?: string;
  traceId?: string;
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

export class EventStore {
  // Sorted by event.time; `head` marks the first live entry so eviction is O(1).
  private entries: StoredEvent[] = [];
  private head = 0;
  private readonly byPod = new Map<string, StoredEvent[]>();
  private readonly byTraceId = new Map<string, StoredEvent[]>();
  private readonly byTuple = new Map<string, StoredEvent[]>();
  bytes = 0;
  evictions = 0;

  constructor(private readonly options: EventStoreOptions) {}

  get size(): number {
    return this.entries.length - this.head;
  }

  add(event: NetworkEvent): void {
    const stored: StoredEvent = { event, bytes: estimateEventBytes(event), evicted: false };
    let i = this.entries.length;
    while (i > this.head && this.entries[i - 1].event.time > event.time) {
      i--;
    }
    if (i === this.entries.length) {
      this.entries.push(stored);
    } else {
      this.entries.splice(i, 0, stored);
    }
    this.bytes += stored.bytes;
    for (const pod of podKeys(event)) {
      pushIndex(this.byPod, pod, stored);
    }
    if (event.traceId) {
      pushIndex(this.byTraceId, event.traceId, stored);
    }
    pushIndex(this.byTuple, tupleKey(event), stored);
    while (this.bytes > this.options.maxBytes && this.size > 1) {
      this.evictOldest();
    }
  }

  query(q: EventQuery): EventQueryResult {
    const candidates = this.candidates(q);
    const matched: NetworkEvent[] = [];
    for (const s of candidates) {
      if (!s.evicted && matches(s.event, q)) {
        matched.push(s.event);
      }
    }
    matched.sort((a, b) => a.time - b.time);
    // The newest events are the useful ones in a recent window.
    const truncated = matched.length > q.limit;
    return { events: truncated ? matched.slice(matched.length - q.limit) : matched, truncated };
  }

  // Events of one connection (both directions), for joins that start from a 5-tuple.
  byConnection(srcIp: string, srcPort: number | undefined, dstIp: string, dstPort: number | undefined): NetworkEvent[] {
    const forward = this.byTuple.get(`${srcIp}:${srcPort ?? ''}>${dstIp}:${dstPort ?? ''}`) ?? [];
    const reverse = this.byTuple.get(`${dstIp}:${dstPort ?? ''}>${srcIp}:${srcPort ?? ''}`) ?? [];
    return [...forward, ...reverse].filter((s) => !s.evicted).map((s) => s.event);
  }

  // Every live event in a time range, in time order (for topology).
  range(fromUs: number, toUs: number): NetworkEvent[] {
    const out: NetworkEvent[] = [];
    for (let i = this.lowerBound(fromUs); i < this.entries.length; i++) {
      const e = this.entries[i].event;
      if (e.time > toUs) {
        break;
      }
      out.push(e);
    }
    return out;
  }

  private candidates(q: EventQuery): StoredEvent[] {
    if (q.traceId) {
      return this.byTraceId.get(q.traceId) ?? [];
    }
    if (q.pod) {
      return this.byPod.get(q.namespace ? `${q.namespace}/${q.pod}` : q.pod) ?? [];
    }
    const start = this.lowerBound(q.fromUs);
    let end = start;
    while (end < this.entries.length && this.entries[end].event.time <= q.toUs) {
      end++;
    }
    return this.entries.slice(start, end);
  }

  // First live index whose time is ≥ t.
  private lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].event.time < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private evictOldest(): void {
    const s = this.entries[this.head++];
    s.evicted = true;
    this.bytes -= s.bytes;
    this.evictions++;
    for (const pod of podKeys(s.event)) {
      dropIndex(this.byPod, pod, s);
    }
    if (s.event.traceId) {
      dropIndex(this.byTraceId, s.event.traceId, s);
    }
    dropIndex(this.byTuple, tupleKey(s.event), s);
    // Compact once the dead prefix dominates, so the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

function matches(e: NetworkEvent, q: EventQuery): boolean {
  if (e.time < q.fromUs || e.time > q.toUs) {
    return false;
  }
  if (q.kinds && !q.kinds.has(e.kind)) {
    return false;
  }
  if (q.namespace && e.src.namespace !== q.namespace && e.dst.namespace !== q.namespace) {
    return false;
  }
  if (q.pod && e.src.pod !== q.pod && e.dst.pod !== q.pod) {
    return false;
  }
  if (q.traceId && e.traceId !== q.traceId) {
    return false;
  }
  return true;
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

function pushIndex(index: Map<string, StoredEvent[]>, key: string, s: StoredEvent): void {
  const list = index.get(key);
  if (list) {
    list.push(s);
  } else {
    index.set(key, [s]);
  }
}

// The evicted entry is the oldest, so it sits at (or near) the front of its lists.
function dropIndex(index: Map<string, StoredEvent[]>, key: string, s: StoredEvent): void {
  const list = index.get(key);
  if (!list) {
    return;
  }
  const i = list.indexOf(s);
  if (i >= 0) {
    list.splice(i, 1);
  }
  if (list.length === 0) {
    index.delete(key);
  }
}
