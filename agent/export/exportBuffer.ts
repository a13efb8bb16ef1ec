/**
 * The bounded FIFO between event producers and a remote store. When full, new entries are refused (and counted as
 * shed by the caller): what is already queued is the start of an outage, and keeping it keeps order intact.
 */
export interface ExportBuffer<T> {
  readonly length: number;
  readonly bytes: number;
  // False when the entry does not fit the bound; the caller counts it as shed.
  append(entry: T): boolean;
  // The oldest `max` entries, still queued until acknowledged.
  peek(max: number): T[];
  // Removes the `count` oldest entries once they are delivered (or given up on).
  ack(count: number): void;
  close(): void;
}

export interface SizedEntry<T> {
  entry: T;
  bytes: number;
}

export class MemoryExportBuffer<T> implements ExportBuffer<T> {
  private readonly queue: Array<SizedEntry<T>> = [];
  private head = 0;
  private total = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (entry: T) => number
  ) {}

  get length(): number {
    return this.queue.length - this.head;
  }

  get bytes(): number {
    return this.total;
  }

  append(entry: T): boolean {
    const bytes = this.sizeOf(entry);
    if (this.total + bytes > this.maxBytes) {
      return false;
    }
    this.queue.push({ entry, bytes });
    this.total += bytes;
    return true;
  }

  peek(max: number): T[] {
    return this.queue.slice(this.head, this.head + max).map((s) => s.entry);
  }

  ack(count: number): void {
    const end = Math.min(this.queue.length, this.head + count);
    for (let i = this.head; i < end; i++) {
      this.total -= this.queue[i].bytes;
    }
    this.head = end;
    // Compact now and then rather than shifting on every ack.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  close(): void {}
}
