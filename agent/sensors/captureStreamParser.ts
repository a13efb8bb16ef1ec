// Turns a capture arriving in arbitrary chunks (a file, `tcpdump -w -` stdout) into frames, whatever the cut points.
import { CaptureFormatError, CaptureTruncatedError } from './captureErrors';
import { rawToFrameSink, type CaptureFormat, type FrameSink, type RawFrameSink } from './captureFrame';
import { isPcapMagic, PcapRecordReader } from './pcapRecords';
import { isPcapngMagic, PcapngRecordReader } from './pcapngBlocks';
import { CaptureUnit, type RecordReader } from './recordReader';

const EMPTY = new Uint8Array(0);

export class CaptureStreamParser {
  private reader: RecordReader | undefined;
  private formatName: CaptureFormat | undefined;
  // Bytes of a unit that started in an earlier chunk.
  private pending: Uint8Array = EMPTY;
  // Absolute offset of pending[0] (or of the next chunk when nothing is pending).
  private consumed = 0;
  private frames = 0;
  private failure: CaptureFormatError | undefined;

  private readonly countingSink: RawFrameSink;
  private readonly unit = new CaptureUnit();

  // A FrameSink gets one object per frame; `{ raw }` gets buffer offsets and allocates nothing.
  constructor(sink: FrameSink | { raw: RawFrameSink }) {
    const raw = typeof sink === 'function' ? rawToFrameSink(sink) : sink.raw;
    this.countingSink = (buf, start, end, timeUs, wireLength, linkType, interfaceId, ifName) => {
      this.frames++;
      raw(buf, start, end, timeUs, wireLength, linkType, interfaceId, ifName);
    };
  }

  get format(): CaptureFormat | undefined {
    return this.formatName;
  }

  get framesDelivered(): number {
    return this.frames;
  }

  // The first format error, after which the rest of the stream is ignored.
  get error(): CaptureFormatError | undefined {
    return this.failure;
  }

  push(chunk: Uint8Array): void {
    if (this.failure || chunk.length === 0) {
      return;
    }
    let buf: Uint8Array;
    if (this.pending.length === 0) {
      buf = chunk;
    } else {
      // Copy only as much of the new chunk as completes the straddling unit; the rest is parsed in place.
      const completed = this.completePending(chunk);
      if (completed < 0) {
        return;
      }
      buf = chunk.subarray(completed);
    }
    this.parse(buf);
  }

  // Call at end of input: reports a capture cut inside a unit, after every whole frame was delivered.
  end(): CaptureFormatError | undefined {
    if (this.failure) {
      return this.failure;
    }
    if (!this.reader) {
      if (this.pending.length > 0 || this.consumed === 0) {
        this.failure = new CaptureTruncatedError(
          `capture is empty or cut inside its file header (${this.pending.length} bytes)`,
          0,
          0
        );
      }
      return this.failure;
    }
    if (this.pending.length > 0) {
      const what = this.reader.describeUnit(this.unit.set(this.pending, 0, this.pending.length, this.consumed));
      this.failure = new CaptureTruncatedError(
        `capture truncated at byte ${this.consumed + this.pending.length}: cut inside ${what}; ${this.frames} packets before the cut were read`,
        this.consumed,
        this.frames
      );
    }
    return this.failure;
  }

  private completePending(chunk: Uint8Array): number {
    let taken = 0;
    for (;;) {
      const need = this.needed(this.pending, 0, this.pending.length);
      if (need < 0) {
        return -1;
      }
      if (this.pending.length >= need) {
        const unit = this.pending;
        this.pending = EMPTY;
        if (!this.consumeUnit(unit, 0, need)) {
          return -1;
        }
        // Pending never grows past the unit it completes, so everything taken belonged to it.
        return taken;
      }
      const want = need - this.pending.length;
      const take = Math.min(want, chunk.length - taken);
      if (take <= 0) {
        return chunk.length;
      }
      const grown = new Uint8Array(this.pending.length + take);
      grown.set(this.pending, 0);
      grown.set(chunk.subarray(taken, taken + take), this.pending.length);
      this.pending = grown;
      taken += take;
    }
  }

  private parse(buf: Uint8Array): void {
    let offset = 0;
    while (offset < buf.length) {
      const available = buf.length - offset;
      const need = this.needed(buf, offset, available);
      if (need < 0) {
        return;
      }
      if (available < need) {
        // A real copy (Buffer's slice is a view): the caller may reuse its chunk after push returns.
        this.pending = Uint8Array.prototype.slice.call(buf, offset);
        return;
      }
      if (!this.consumeUnit(buf, offset, need)) {
        return;
      }
      offset += need;
    }
  }

  // Bytes the unit at `offset` needs, or -1 after recording a format error.
  private needed(buf: Uint8Array, offset: number, available: number): number {
    if (!this.reader) {
      if (available < 4) {
        return 4;
      }
      const magic = buf.subarray(offset, offset + 4);
      if (isPcapMagic(magic)) {
        this.reader = new PcapRecordReader();
        this.formatName = 'pcap';
      } else if (isPcapngMagic(magic)) {
        this.reader = new PcapngRecordReader();
        this.formatName = 'pcapng';
      } else {
        const hex = Buffer.from(magic).toString('hex');
        this.failure = new CaptureFormatError(`not a pcap or pcapng capture: starts with 0x${hex}`, 0);
        return -1;
      }
    }
    const need = this.reader.unitLength(this.unit.set(buf, offset, available, this.consumed));
    if (need instanceof CaptureFormatError) {
      this.failure = need;
      return -1;
    }
    return need;
  }

  private consumeUnit(buf: Uint8Array, offset: number, length: number): boolean {
    const error = this.reader!.consume(this.unit.set(buf, offset, length, this.consumed), this.countingSink);
    if (error) {
      this.failure = error;
      return false;
    }
    this.consumed += length;
    return true;
  }
}
