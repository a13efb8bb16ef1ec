// A capture file straight through the frame path: the packets before any cut are kept, the cut is reported.
import { readFileSync } from 'node:fs';
import type { CaptureFormatError } from '../sensors/captureErrors';
import { readCaptureBuffer, streamCaptureFile } from '../sensors/captureFile';
import type { CaptureFormat } from '../sensors/captureFrame';
import { FramePath } from './framePath';
import type { DecodeCounters, DecodedPacket } from './packet';
import { PacketDecoder } from './packetDecoder';

export interface DecodedCapture {
  format?: CaptureFormat;
  packets: DecodedPacket[];
  counters: DecodeCounters;
  error?: CaptureFormatError;
}

export type CaptureReadReport = Omit<DecodedCapture, 'packets'>;

export function decodeCaptureBytes(bytes: Uint8Array): DecodedCapture {
  const packets: DecodedPacket[] = [];
  const frames = new FramePath((packet) => packets.push(packet));
  const { format, error } = readCaptureBuffer(bytes, { raw: frames.raw });
  return { format, packets, counters: frames.decoder.counters, error };
}

export function decodeCaptureFile(path: string): DecodedCapture {
  return decodeCaptureBytes(readFileSync(path));
}

// Streams a capture through the frame path without holding it all; packet payloads are views valid only during
// the call.
export async function readCaptureInto(path: string, frames: FramePath): Promise<CaptureReadReport> {
  const { format, error } = await streamCaptureFile(path, { raw: frames.raw });
  return { format, counters: frames.decoder.counters, error };
}

// The packets of a capture, one at a time (NFLOG frames counted as an unsupported link type). Each packet object,
// like its payload, is valid only during the call: the decoder fills the same one again for the next frame.
export function forEachDecodedPacket(
  path: string,
  onPacket: (packet: DecodedPacket) => void,
  decoder = new PacketDecoder(undefined, { reusePackets: true })
): Promise<CaptureReadReport> {
  return readCaptureInto(path, new FramePath(onPacket, decoder));
}
