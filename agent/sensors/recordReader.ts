// What a capture format contributes to the streaming parser: how long the next unit is, and what it means.
import type { CaptureFormatError } from './captureErrors';
import type { RawFrameSink } from './captureFrame';

const EMPTY = new Uint8Array(0);

// The bytes a reader is shown: buf[offset, offset + length), starting `absoluteOffset` bytes into the stream.
// The stream parser refills one of these for every unit; readers use it during the call and keep none of it.
export class CaptureUnit {
  buf: Uint8Array = EMPTY;
  offset = 0;
  // The whole unit for consume; the bytes available so far for unitLength and describeUnit.
  length = 0;
  absoluteOffset = 0;

  set(buf: Uint8Array, offset: number, length: number, absoluteOffset: number): this {
    this.buf = buf;
    this.offset = offset;
    this.length = length;
    this.absoluteOffset = absoluteOffset;
    return this;
  }
}

export interface RecordReader {
  // Size of the unit at `unit.offset`: its header size while the available bytes cannot tell more, else the whole unit.
  unitLength(unit: CaptureUnit): number | CaptureFormatError;
  // Interprets one complete unit; returns an error when its content is impossible.
  consume(unit: CaptureUnit, sink: RawFrameSink): CaptureFormatError | undefined;
  // Human words for a unit the capture was cut inside, used in the truncation error.
  describeUnit(unit: CaptureUnit): string;
}
