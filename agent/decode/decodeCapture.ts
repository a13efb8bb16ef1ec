// A capture file straight to decoded packets: the packets before any cut are kept, the cut is reported.
import type { CaptureFormatError } from '../sensors/captureErrors';
import { readCaptureBuffer, streamCaptureFile } from '../sensors/captureFile';
import type { CaptureFormat, CapturedFrame } from '../sensors/captureFrame';
import { LINKTYPE_NFLOG } from '../sensors/nflog/nflogFrame';
import { readFileSync } from 'node:fs';
import { newDecodeCounters, type DecodeCounters, type DecodedPacket } from './packet';
import { PacketDecoder } from './packetDecoder';

export interface DecodedCapture {
  format?: CaptureFormat;
  packets: DecodedPacket[];
  counters: DecodeCounters;
  error?: CaptureFormatError;
}

export function decodeCaptureBytes(bytes: Uint8Array): DecodedCapture {
  const decoder = new PacketDecoder(newDecodeCounters());
  const packets: DecodedPacket[] = [];
  const { format, error } = readCaptureBuffer(bytes, {
    raw: (buf, start, end, timeUs, wireLength, linkType, _interfaceId, ifName) => {
      const packet = decoder.decodeRange(buf, start, end, linkType, timeUs, wireLength, ifName);
      if (packet) {
        packets.push(packet);
      }
    },
  });
  return { format, packets, counters: decoder.counters, error };
}

export function decodeCaptureFile(path: string): DecodedCapture {
  return decodeCaptureBytes(readFileSync(path));
}

// Streams a capture through `onPacket` without holding it all; packet payloads are views valid only during the call.
// NFLOG frames (a log of packets, not packets on a link) go to `onNflogFrame` when given.
export async function forEachDecodedPacket(
  path: string,
  onPacket: (packet: DecodedPacket) => void,
  decoder = new PacketDecoder(),
  onNflogFrame?: (frame: CapturedFrame) => void
): Promise<Omit<DecodedCapture, 'packets'>> {
  const { format, error } = await streamCaptureFile(path, {
    raw: (buf, start, end, timeUs, wireLength, linkType, interfaceId, ifName) => {
      if (linkType === LINKTYPE_NFLOG && onNflogFrame) {
        onNflogFrame({ timeUs, wireLength, linkType, data: buf.subarray(start, end), interfaceId, ifName });
        return;
      }
      const packet = decoder.decodeRange(buf, start, end, linkType, timeUs, wireLength, ifName);
      if (packet) {
        onPacket(packet);
      }
    },
  });
  return { format, counters: decoder.counters, error };
}
