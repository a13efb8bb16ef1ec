// Reading a whole capture file: every frame before a cut or a corrupt record is delivered, then the error.
import { createReadStream, readFileSync } from 'node:fs';
import type { CaptureFormatError } from './captureErrors';
import type { CapturedFrame, CaptureFormat, FrameSink, RawFrameSink } from './captureFrame';
import { CaptureStreamParser } from './captureStreamParser';

export interface CaptureReadResult {
  format?: CaptureFormat;
  frames: number;
  // Set when the file is cut or corrupt; the frames before that point were still delivered.
  error?: CaptureFormatError;
}

export function readCaptureBuffer(bytes: Uint8Array, sink: FrameSink | { raw: RawFrameSink }): CaptureReadResult {
  const parser = new CaptureStreamParser(sink);
  parser.push(bytes);
  const error = parser.end();
  return { format: parser.format, frames: parser.framesDelivered, error };
}

// Whole-file read into memory: frames are views into one buffer, fast for analysis runs.
export function readCaptureFile(path: string): CaptureReadResult & { capturedFrames: CapturedFrame[] } {
  const capturedFrames: CapturedFrame[] = [];
  const result = readCaptureBuffer(readFileSync(path), (frame) => capturedFrames.push(frame));
  return { ...result, capturedFrames };
}

// Chunked read for captures larger than memory should hold.
export async function streamCaptureFile(
  path: string,
  sink: FrameSink | { raw: RawFrameSink }
): Promise<CaptureReadResult> {
  const parser = new CaptureStreamParser(sink);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    parser.push(chunk as Buffer);
  }
  const error = parser.end();
  return { format: parser.format, frames: parser.framesDelivered, error };
}
