// Overlay encapsulations a node interface carries (VXLAN, Geneve, GRE): where the inner frame starts and how to read
// it, so pod-to-pod flows keep pod addresses and the node addresses become the underlay.
import { LINKTYPE } from '../sensors/captureFrame';
import type { Encapsulation } from './packet';

// Flannel and Linux default to 8472, IANA's VXLAN port is 4789; Geneve is 6081.
const VXLAN_PORTS = new Set([4789, 8472]);
const GENEVE_PORT = 6081;
const PROTO_GRE = 47;
const ETHERTYPE_TRANSPARENT_BRIDGING = 0x6558;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

export interface InnerFrame {
  start: number;
  linkType: number;
  encapsulation: Encapsulation;
}

function innerLinkType(protocol: number): number | undefined {
  switch (protocol) {
    case ETHERTYPE_TRANSPARENT_BRIDGING:
      return LINKTYPE.ETHERNET;
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
      return LINKTYPE.RAW;
    default:
      return undefined;
  }
}

// A UDP datagram to a tunnel port whose payload starts at `o` (undefined when it is not a well-formed tunnel header).
export function udpTunnel(b: Uint8Array, o: number, end: number, dstPort: number): InnerFrame | undefined {
  if (VXLAN_PORTS.has(dstPort)) {
    // Flags with the I bit (a valid VNI) set, the rest reserved.
    if (end < o + 8 + 14 || (b[o] & 0x08) === 0) {
      return undefined;
    }
    return { start: o + 8, linkType: LINKTYPE.ETHERNET, encapsulation: 'vxlan' };
  }
  if (dstPort === GENEVE_PORT) {
    if (end < o + 8 || b[o] >> 6 !== 0) {
      return undefined;
    }
    const start = o + 8 + (b[o] & 0x3f) * 4;
    const linkType = innerLinkType((b[o + 2] << 8) | b[o + 3]);
    return linkType === undefined || start >= end ? undefined : { start, linkType, encapsulation: 'geneve' };
  }
  return undefined;
}

// A GRE packet (IP protocol 47) whose header starts at `o`: version 0, with optional checksum, key and sequence.
export function greTunnel(b: Uint8Array, o: number, end: number, protocol: number): InnerFrame | undefined {
  if (protocol !== PROTO_GRE || end < o + 4) {
    return undefined;
  }
  const flags = b[o];
  if ((b[o + 1] & 0x07) !== 0 || (flags & 0x40) !== 0) {
    return undefined;
  }
  const start = o + 4 + (flags & 0x80 ? 4 : 0) + (flags & 0x20 ? 4 : 0) + (flags & 0x10 ? 4 : 0);
  const linkType = innerLinkType((b[o + 2] << 8) | b[o + 3]);
  return linkType === undefined || start >= end ? undefined : { start, linkType, encapsulation: 'gre' };
}
