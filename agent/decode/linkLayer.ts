// Link layers in front of IP: Ethernet (+VLAN tags), Linux cooked v1/v2, raw IP, BSD loopback.
import { LINKTYPE } from '../sensors/captureFrame';
import { DecodeStatus } from './decodeStatus';
import type { LinkType } from './packet';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
// Linux packet types (sll_pkttype): 4 is PACKET_OUTGOING.
const PACKET_OUTGOING = 4;
const MAX_VLAN_TAGS = 4;

// Reused across packets: what the link layer says about where IP starts.
export class LinkInfo {
  networkOffset = 0;
  etherType = 0;
  vlan: number | undefined = undefined;
  ifIndex: number | undefined = undefined;
  outgoing: boolean | undefined = undefined;
  linkType: LinkType = 'ethernet';

  reset(): void {
    this.vlan = undefined;
    this.ifIndex = undefined;
    this.outgoing = undefined;
  }
}

// The frame is b[start, end): offsets written to `out` are absolute indexes into b.
export function decodeLinkLayer(
  b: Uint8Array,
  start: number,
  end: number,
  linkType: number,
  out: LinkInfo
): DecodeStatus {
  out.reset();
  const s = start;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      out.linkType = 'ethernet';
      if (end - s < 14) {
        return DecodeStatus.Truncated;
      }
      return skipVlanTags(b, s + 12, end, out);
    case LINKTYPE.LINUX_SLL:
      out.linkType = 'linux_sll';
      if (end - s < 16) {
        return DecodeStatus.Truncated;
      }
      out.outgoing = ((b[s] << 8) | b[s + 1]) === PACKET_OUTGOING;
      return skipVlanTags(b, s + 14, end, out);
    case LINKTYPE.LINUX_SLL2:
      out.linkType = 'linux_sll2';
      if (end - s < 20) {
        return DecodeStatus.Truncated;
      }
      out.ifIndex = ((b[s + 4] << 24) | (b[s + 5] << 16) | (b[s + 6] << 8) | b[s + 7]) >>> 0;
      out.outgoing = b[s + 10] === PACKET_OUTGOING;
      return finishCooked2(b, s, end, out);
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      out.linkType = 'raw_ip';
      return rawIp(b, s, end, out);
    case LINKTYPE.NULL:
      out.linkType = 'null';
      return bsdLoopback(b, s, end, out);
    default:
      return DecodeStatus.UnsupportedLinkType;
  }
}

// `typeOffset` points at an EtherType; 802.1Q / 802.1ad tags in front of the real one are skipped, the outer VID kept.
function skipVlanTags(b: Uint8Array, typeOffset: number, end: number, out: LinkInfo): DecodeStatus {
  let o = typeOffset;
  let type = (b[o] << 8) | b[o + 1];
  for (let tags = 0; type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD; tags++) {
    if (tags === MAX_VLAN_TAGS) {
      return DecodeStatus.Malformed;
    }
    if (end < o + 6) {
      return DecodeStatus.Truncated;
    }
    if (out.vlan === undefined) {
      out.vlan = ((b[o + 2] << 8) | b[o + 3]) & 0x0fff;
    }
    o += 4;
    type = (b[o] << 8) | b[o + 1];
  }
  out.etherType = type;
  out.networkOffset = o + 2;
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? DecodeStatus.Ok : DecodeStatus.UnsupportedProtocol;
}

function finishCooked2(b: Uint8Array, s: number, end: number, out: LinkInfo): DecodeStatus {
  const type = (b[s] << 8) | b[s + 1];
  if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) {
    // A tag kept in the payload: SLL2 has no EtherType slot after the address, so re-read from offset 20.
    if (end - s < 24) {
      return DecodeStatus.Truncated;
    }
    out.vlan = ((b[s + 20] << 8) | b[s + 21]) & 0x0fff;
    out.etherType = (b[s + 22] << 8) | b[s + 23];
    out.networkOffset = s + 24;
  } else {
    out.etherType = type;
    out.networkOffset = s + 20;
  }
  return out.etherType === ETHERTYPE_IPV4 || out.etherType === ETHERTYPE_IPV6
    ? DecodeStatus.Ok
    : DecodeStatus.UnsupportedProtocol;
}

function rawIp(b: Uint8Array, o: number, end: number, out: LinkInfo): DecodeStatus {
  if (end <= o) {
    return DecodeStatus.Truncated;
  }
  const version = b[o] >> 4;
  out.networkOffset = o;
  if (version === 4) {
    out.etherType = ETHERTYPE_IPV4;
  } else if (version === 6) {
    out.etherType = ETHERTYPE_IPV6;
  } else {
    return DecodeStatus.Malformed;
  }
  return DecodeStatus.Ok;
}

// DLT_NULL: a 4-byte address family in the capturing host's byte order; 2 is IPv4, 24/28/30 are IPv6 on the BSDs.
function bsdLoopback(b: Uint8Array, s: number, end: number, out: LinkInfo): DecodeStatus {
  if (end - s < 4) {
    return DecodeStatus.Truncated;
  }
  const le = (b[s] | (b[s + 1] << 8) | (b[s + 2] << 16) | (b[s + 3] << 24)) >>> 0;
  const family = le > 0xffff ? ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0 : le;
  if (family === 2) {
    out.etherType = ETHERTYPE_IPV4;
  } else if (family === 24 || family === 28 || family === 30) {
    out.etherType = ETHERTYPE_IPV6;
  } else {
    return DecodeStatus.UnsupportedProtocol;
  }
  out.networkOffset = s + 4;
  return DecodeStatus.Ok;
}
