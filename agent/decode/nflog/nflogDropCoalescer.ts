/**
 * Folds the packets one blocked attempt logs (a SYN and its retransmissions, repeated datagrams of one flow) into
 * one drop: same 5-tuple and prefix, no more than `quietMs` apart. The drop is emitted once the flow has been
 * quiet for `quietMs` (or after `maxAgeMs`), with `attempts` = packets logged and `endTime` = the last one.
 */
import type { NetworkEvent } from '../../../model/events';

export interface CoalescerOptions {
  quietMs: number;
  maxAgeMs: number;
  // Pending drops held at most; beyond it the oldest is emitted early.
  maxPending: number;
}

export const DEFAULT_COALESCER_OPTIONS: CoalescerOptions = { quietMs: 3000, maxAgeMs: 30_000, maxPending: 50_000 };

function keyOf(e: NetworkEvent): string {
  return `${e.transport}|${e.src.ip}|${e.src.port ?? ''}|${e.dst.ip}|${e.dst.port ?? ''}|${e.drop?.reason ?? ''}`;
}

export class NflogDropCoalescer {
  // Insertion order is first-seen order, which flushes oldest first.
  private readonly pending = new Map<string, NetworkEvent>();
  emittedEarly = 0;

  constructor(
    private readonly emit: (event: NetworkEvent) => void,
    private readonly options: CoalescerOptions = DEFAULT_COALESCER_OPTIONS
  ) {}

  get size(): number {
    return this.pending.size;
  }

  push(event: NetworkEvent): void {
    const key = keyOf(event);
    const held = this.pending.get(key);
    if (held && event.time - (held.endTime ?? held.time) <= this.options.quietMs * 1000) {
      held.endTime = Math.max(held.endTime ?? held.time, event.time);
      held.drop!.attempts = (held.drop!.attempts ?? 1) + 1;
      return;
    }
    if (held) {
      this.pending.delete(key);
      this.emit(held);
    }
    if (this.pending.size >= this.options.maxPending) {
      const [oldestKey, oldest] = this.pending.entries().next().value as [string, NetworkEvent];
      this.pending.delete(oldestKey);
      this.emittedEarly++;
      this.emit(oldest);
    }
    this.pending.set(key, { ...event, endTime: event.time, drop: { ...event.drop!, attempts: 1 } });
  }

  /** Emits every drop quiet for quietMs, or older than maxAgeMs, as of `nowUs`. */
  advance(nowUs: number): void {
    const quietUs = this.options.quietMs * 1000;
    const maxAgeUs = this.options.maxAgeMs * 1000;
    for (const [key, held] of this.pending) {
      if (nowUs - (held.endTime ?? held.time) >= quietUs || nowUs - held.time >= maxAgeUs) {
        this.pending.delete(key);
        this.emit(held);
      }
    }
  }

  flush(): void {
    for (const held of this.pending.values()) {
      this.emit(held);
    }
    this.pending.clear();
  }
}
