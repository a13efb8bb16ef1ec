/**
 * Drains an ExportBuffer to a remote store in batches, one push in flight, in order. A batch is sent when it is
 * full or when the oldest entry has waited `batchWaitMs`; a failed push is retried (same batch, backoff with
 * jitter) on 429/5xx/network errors and given up on other 4xx answers. Counts what it sent, retried and shed.
 */
import { backoffDelayMs, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff';
import type { ExportBuffer } from './exportBuffer';
import type { ExportMetrics, ShedReason } from './exportMetrics';
import type { PushOutcome } from './pushOutcome';

export interface BatchPusherOptions {
  name: string;
  batchSize: number;
  batchWaitMs: number;
  backoff?: BackoffPolicy;
  // A persistent buffer keeps what close() could not send; a memory one loses it (counted as shed).
  persistent?: boolean;
  // Logs a one-line message about a failed push (never includes credentials).
  log?: (message: string) => void;
}

export interface BatchPusherCounters {
  sent: number;
  retried: number;
  shed: Record<ShedReason, number>;
  lastError?: string;
}

export class BatchPusher<T> {
  readonly counters: BatchPusherCounters = { sent: 0, retried: 0, shed: { buffer_full: 0, rejected: 0, closed: 0 } };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private attempt = 0;
  private closed = false;

  constructor(
    private readonly buffer: ExportBuffer<T>,
    private readonly send: (batch: T[]) => Promise<PushOutcome>,
    private readonly options: BatchPusherOptions,
    private readonly metrics?: ExportMetrics
  ) {
    metrics?.track(options.name, { bufferBytes: () => buffer.bytes, bufferEntries: () => buffer.length });
    if (buffer.length > 0) {
      // Entries left from before a restart go out first.
      this.schedule(0);
    }
  }

  enqueue(entry: T): boolean {
    if (this.closed || !this.buffer.append(entry)) {
      this.shed('buffer_full', 1);
      return false;
    }
    if (this.inFlight === undefined && this.timer === undefined) {
      this.schedule(this.buffer.length >= this.options.batchSize ? 0 : this.options.batchWaitMs);
    } else if (this.inFlight === undefined && this.buffer.length >= this.options.batchSize && this.attempt === 0) {
      this.schedule(0);
    }
    return true;
  }

  /** Sends what is buffered, retrying, until empty or `timeoutMs` passes; then stops. Unsent entries stay buffered. */
  async close(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      if (this.inFlight) {
        await this.inFlight;
      } else {
        this.clearTimer();
        await this.flushOnce();
        if (this.buffer.length > 0 && this.attempt > 0) {
          await new Promise((r) => setTimeout(r, Math.min(deadline - Date.now(), this.delay())));
        }
      }
    }
    this.closed = true;
    this.clearTimer();
    if (this.inFlight) {
      await this.inFlight;
    }
    if (!this.options.persistent && this.buffer.length > 0) {
      this.shed('closed', this.buffer.length);
    }
    this.buffer.close();
  }

  private delay(): number {
    return backoffDelayMs(this.attempt - 1, this.options.backoff ?? DEFAULT_BACKOFF);
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flushOnce().then(() => this.afterFlush());
    }, ms);
    this.timer.unref?.();
  }

  private afterFlush(): void {
    if (this.closed || this.buffer.length === 0) {
      return;
    }
    if (this.attempt > 0) {
      this.schedule(this.delay());
    } else {
      this.schedule(this.buffer.length >= this.options.batchSize ? 0 : this.options.batchWaitMs);
    }
  }

  private flushOnce(): Promise<void> {
    if (this.inFlight) {
      return this.inFlight;
    }
    const batch = this.buffer.peek(this.options.batchSize);
    if (batch.length === 0) {
      return Promise.resolve();
    }
    this.inFlight = this.send(batch)
      .then((outcome) => this.settle(batch.length, outcome))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private settle(count: number, outcome: PushOutcome): void {
    if (outcome.kind === 'ok') {
      this.buffer.ack(count);
      this.attempt = 0;
      this.counters.sent += count;
      this.metrics?.sent.inc({ exporter: this.options.name }, count);
      return;
    }
    this.counters.lastError = outcome.message;
    if (outcome.kind === 'rejected') {
      this.buffer.ack(count);
      this.attempt = 0;
      this.shed('rejected', count);
      this.options.log?.(`${this.options.name}: push rejected, ${count} entries dropped: ${outcome.message}`);
      return;
    }
    this.attempt++;
    this.counters.retried++;
    this.metrics?.retried.inc({ exporter: this.options.name });
    if (this.attempt === 1) {
      this.options.log?.(`${this.options.name}: push failed, retrying with backoff: ${outcome.message}`);
    }
  }

  private shed(reason: ShedReason, count: number): void {
    this.counters.shed[reason] += count;
    this.metrics?.shed.inc({ exporter: this.options.name, reason }, count);
  }
}
