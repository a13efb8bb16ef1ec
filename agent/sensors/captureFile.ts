// Reading a whole capture file: every frame before a cut or a corrupt record is delivered, then the error.
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

const READ_CHUNK = 1 << 20;

// Chunked read for captures larger than memory should hold, through one reused buffer: no allocation (and no fresh
// pages) per chunk, so frames are valid only during the sink call; a sink that keeps bytes must copy them.
export async function streamCaptureFile(path: string, sink: { raw: RawFrameSink }): Promise<CaptureReadResult> {
  const parser = new CaptureStreamParser(sink);
  const file = await open(path, 'r');
  try {
    // Two buffers: the next chunk is read (on libuv's thread pool) while this one is parsed.
    const buffers = [new Uint8Array(READ_CHUNK), new Uint8Array(READ_CHUNK)];
    let next = file.read(buffers[0], 0, READ_CHUNK, null);
    for (let i = 1; ; i ^= 1) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) {
        break;
      }
      next = file.read(buffers[i], 0, READ_CHUNK, null);
      parser.push(bytesRead === READ_CHUNK ? buffer : buffer.subarray(0, bytesRead));
      // Past a fatal format error the parser ignores everything: reading on (from /dev/zero, say) would never end.
      if (parser.error) {
        await next.catch(() => undefined);
        break;
      }
    }
  } finally {
    await file.close();
  }
  const error = parser.end();
  return { format: parser.format, frames: parser.framesDelivered, error };
}
