// The one way every captured frame takes into the pipeline, whether it came from live interfaces, an NFLOG group or
// a capture file: NFLOG frames (a log of refused packets) become drops, every other link type a decoded packet.
import type { CapturedFrame, RawFrameSink } from '../sensors/captureFrame';
import { LINKTYPE_NFLOG } from '../sensors/nflog/nflogFrame';
import type { NflogDrops } from './nflog/nflogDrops';
import type { DecodedPacket } from './packet';
import { PacketDecoder } from './packetDecoder';

export class FramePath {
  constructor(
    private readonly onPacket: (packet: DecodedPacket) => void,
    readonly decoder = new PacketDecoder(),
    // Without it, NFLOG frames are counted as an unsupported link type like any other.
    readonly nflog?: NflogDrops
  ) {}

  // The allocation-free form the capture readers call: the frame is buf[start, end), valid during the call only.
  readonly raw: RawFrameSink = (buf, start, end, timeUs, wireLength, linkType, interfaceId, ifName) => {
    if (linkType === LINKTYPE_NFLOG && this.nflog) {
      this.nflog.frame({ timeUs, wireLength, linkType, data: buf.subarray(start, end), interfaceId, ifName });
      return;
    }
    const packet = this.decoder.decodeRange(buf, start, end, linkType, timeUs, wireLength, ifName);
    if (packet) {
      this.onPacket(packet);
    }
  };

  readonly frame = (frame: CapturedFrame): void => {
    this.raw(
      frame.data,
      0,
      frame.data.length,
      frame.timeUs,
      frame.wireLength,
      frame.linkType,
      frame.interfaceId,
      frame.ifName
    );
  };
}
