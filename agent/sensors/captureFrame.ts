// One captured frame as a capture format stores it, before any protocol is decoded.

// LINKTYPE_* values (tcpdump.org/linktypes.html) the decoders understand.
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_BSD: 12,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export interface CapturedFrame {
  // Capture timestamp, microseconds since the Unix epoch.
  timeUs: number;
  // Bytes on the wire; larger than data.length when the snap length cut the frame.
  wireLength: number;
  linkType: number;
  // A view into the capture buffer (no copy).
  data: Uint8Array;
  // pcapng interface: its position in the section and its if_name option.
  interfaceId?: number;
  ifName?: string;
}

export type CaptureFormat = 'pcap' | 'pcapng';

export type FrameSink = (frame: CapturedFrame) => void;

// The allocation-free form for hot paths: the frame is buf[start, end) and lives as long as buf.
export type RawFrameSink = (
  buf: Uint8Array,
  start: number,
  end: number,
  timeUs: number,
  wireLength: number,
  linkType: number,
  interfaceId: number | undefined,
  ifName: string | undefined
) => void;

export function rawToFrameSink(sink: FrameSink): RawFrameSink {
  return (buf, start, end, timeUs, wireLength, linkType, interfaceId, ifName) =>
    sink({ timeUs, wireLength, linkType, data: buf.subarray(start, end), interfaceId, ifName });
}
