// A bounded hand-off between a producer that must never block (a capture pipe) and a consumer that may be slow.
// When full, new items are shed and counted: memory stays bounded whatever the consumer does.

export interface QueueLimits {
  maxItems: number;
  maxBytes: number;
}

export class BoundedQueue<T> {
  private readonly ring: Array<T | undefined>;
  private head = 0;
  private size = 0;
  private bytes = 0;
  private closed = false;
  private wake: (() => void) | undefined;
  shed = 0;
  shedBytes = 0;

  constructor(
    private readonly limits: QueueLimits,
    private readonly sizeOf: (item: T) => number
  ) {
    this.ring = new Array(limits.maxItems).fill(undefined);
  }

  get length(): number {
    return this.size;
  }

  get queuedBytes(): number {
    return this.bytes;
  }

  // False when the item was shed.
  offer(item: T): boolean {
    const size = this.sizeOf(item);
    if (this.closed || this.size === this.limits.maxItems || this.bytes + size > this.limits.maxBytes) {
      this.shed++;
      this.shedBytes += size;
      return false;
    }
    this.ring[(this.head + this.size) % this.ring.length] = item;
    this.size++;
    this.bytes += size;
    this.notify();
    return true;
  }

  poll(): T | undefined {
    if (this.size === 0) {
      return undefined;
    }
    const item = this.ring[this.head] as T;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    this.bytes -= this.sizeOf(item);
    return item;
  }

  // No more items will be offered; consumers drain what is left, then stop.
  close(): void {
    this.closed = true;
    this.notify();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.poll();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.closed) {
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    }
  }
}
