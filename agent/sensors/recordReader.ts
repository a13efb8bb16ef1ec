// What a capture format contributes to the streaming parser: how long the next unit is, and what it means.
import type { CaptureFormatError } from './captureErrors';
import type { RawFrameSink } from './captureFrame';

export interface RecordReader {
  // Size of the unit starting at `offset`: its header size while `available` bytes cannot tell more, else the whole unit.
  unitLength(buf: Uint8Array, offset: number, available: number, absoluteOffset: number): number | CaptureFormatError;
  // Interprets one complete unit; returns an error when its content is impossible.
  consume(
    buf: Uint8Array,
    offset: number,
    length: number,
    absoluteOffset: number,
    sink: RawFrameSink
  ): CaptureFormatError | undefined;
  // Human words for the unit at `offset`, used when the capture is cut inside it.
  describeUnit(buf: Uint8Array, offset: number, available: number): string;
}
