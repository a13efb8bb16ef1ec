// Puts one direction of a TCP stream back in order: duplicates trimmed, early segments held (bounded), gaps skipped and counted.
import { seqAdd, seqDiff } from './seq';

export interface StreamConsumer {
  onData(data: Uint8Array, timeUs: number): void;
  // Bytes the capture never saw; the consumer must resynchronise.
  onGap(bytes: number): void;
}

interface HeldSegment {
  seq: number;
  data: Uint8Array;
  timeUs: number;
}

export class StreamReassembler {
  private next: number | undefined;
  private held: HeldSegment[] = [];
  private heldBytes = 0;
  gaps = 0;
  gapBytes = 0;
  duplicateBytes = 0;

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly maxHeldBytes: number
  ) {}

  // The sequence number of the first payload byte (ISN + 1 after a SYN).
  start(seq: number): void {
    if (this.next === undefined) {
      this.next = seq >>> 0;
    }
  }

  push(seq: number, payload: Uint8Array, timeUs: number): void {
    if (payload.length === 0) {
      return;
    }
    if (this.next === undefined) {
      this.next = seq >>> 0;
    }
    const offset = seqDiff(this.next, seq);
    if (offset >= payload.length) {
      this.duplicateBytes += payload.length;
      return;
    }
    if (offset >= 0) {
      if (offset > 0) {
        this.duplicateBytes += offset;
        payload = payload.subarray(offset);
      }
      // In-order segments (nearly all) go out as they are: a view per segment costs more than the rest of push.
      this.deliver(payload, timeUs);
      this.drainHeld();
      return;
    }
    this.hold(seq, payload, timeUs);
  }

  // The receiver acknowledged up to `ack`: held segments it covers are past a hole the capture missed (the bytes
  // arrived, so no retransmission will fill it), and go out now, after a gap, instead of waiting for the hold limit.
  acked(ack: number): void {
    while (this.held.length > 0 && seqDiff(ack >>> 0, this.held[0].seq) > 0) {
      this.skipToFirstHeld();
      this.drainHeld();
    }
  }

  // End of stream: whatever is held goes out, with the holes reported as gaps.
  flush(): void {
    while (this.held.length > 0) {
      this.skipToFirstHeld();
      this.drainHeld();
    }
  }

  private deliver(data: Uint8Array, timeUs: number): void {
    this.next = seqAdd(this.next ?? 0, data.length);
    this.consumer.onData(data, timeUs);
  }

  private hold(seq: number, payload: Uint8Array, timeUs: number): void {
    // Payload is a view into the capture buffer, so a held segment needs its own copy.
    const segment = { seq: seq >>> 0, data: payload.slice(), timeUs };
    let i = this.held.length;
    while (i > 0 && seqDiff(this.held[i - 1].seq, segment.seq) > 0) {
      i--;
    }
    this.held.splice(i, 0, segment);
    this.heldBytes += payload.length;
    while (this.heldBytes > this.maxHeldBytes && this.held.length > 0) {
      this.skipToFirstHeld();
      this.drainHeld();
    }
  }

  private skipToFirstHeld(): void {
    const first = this.held[0];
    const missing = seqDiff(first.seq, this.next ?? first.seq);
    if (missing > 0) {
      this.gaps++;
      this.gapBytes += missing;
      this.consumer.onGap(missing);
      this.next = first.seq;
    }
  }

  private drainHeld(): void {
    while (this.held.length > 0) {
      const first = this.held[0];
      const offset = seqDiff(this.next ?? first.seq, first.seq);
      if (offset < 0) {
        return;
      }
      this.held.shift();
      this.heldBytes -= first.data.length;
      if (offset < first.data.length) {
        this.deliver(first.data.subarray(offset), first.timeUs);
      } else {
        this.duplicateBytes += first.data.length;
      }
    }
  }
}
