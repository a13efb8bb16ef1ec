// IPv4 and IPv6 headers (with IPv6 extension headers) down to where the transport header starts.
import { DecodeStatus } from './decodeStatus';
import { ipv4Text, ipv6Text } from './ipAddress';

const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AUTH = 51;
const IPV6_NO_NEXT = 59;
const IPV6_DEST_OPTIONS = 60;
const IPV6_MOBILITY = 135;
const MAX_EXTENSION_HEADERS = 16;

// Reused across packets: what the IP layer says.
export class NetworkInfo {
  version: 4 | 6 = 4;
  srcIp = '';
  dstIp = '';
  protocol = 0;
  ttl = 0;
  // IPv4 identification (IPv6 has none outside fragments).
  ipId: number | undefined = undefined;
  // Transport header start and end of the IP payload within the captured bytes.
  transportOffset = 0;
  end = 0;
  // Where the IP payload ends on the wire, past `end` when the snap length cut it.
  wireEnd = 0;
  // Any fragment at all (first included), and a fragment without the transport header.
  isFragment = false;
  laterFragment = false;
  // The snap length cut the IP payload (a short transport header is then truncation, not a lie).
  cut = false;
}

export function decodeIpv4(b: Uint8Array, o: number, captureEnd: number, out: NetworkInfo): DecodeStatus {
  if (captureEnd < o + 20) {
    return DecodeStatus.Truncated;
  }
  const vhl = b[o];
  const headerLength = (vhl & 0x0f) << 2;
  if (vhl >> 4 !== 4 || headerLength < 20) {
    return DecodeStatus.Malformed;
  }
  if (captureEnd < o + headerLength) {
    return DecodeStatus.Truncated;
  }
  const totalLength = (b[o + 2] << 8) | b[o + 3];
  // Segmentation offload shows outgoing packets with a zero total length: trust the capture then.
  if (totalLength !== 0 && totalLength < headerLength) {
    return DecodeStatus.Malformed;
  }
  const flagsAndOffset = (b[o + 6] << 8) | b[o + 7];
  const fragmentOffset = flagsAndOffset & 0x1fff;
  out.version = 4;
  out.isFragment = fragmentOffset !== 0 || (flagsAndOffset & 0x2000) !== 0;
  out.laterFragment = fragmentOffset !== 0;
  out.ttl = b[o + 8];
  out.ipId = (b[o + 4] << 8) | b[o + 5];
  out.protocol = b[o + 9];
  out.srcIp = ipv4Text(b, o + 12);
  out.dstIp = ipv4Text(b, o + 16);
  out.transportOffset = o + headerLength;
  // Ethernet pads short frames: the IP total length, not the frame, says where the payload ends.
  out.cut = totalLength === 0 || o + totalLength > captureEnd;
  out.end = totalLength === 0 ? captureEnd : Math.min(captureEnd, o + totalLength);
  out.wireEnd = totalLength === 0 ? captureEnd : o + totalLength;
  return DecodeStatus.Ok;
}

export function decodeIpv6(b: Uint8Array, o: number, captureEnd: number, out: NetworkInfo): DecodeStatus {
  if (captureEnd < o + 40) {
    return DecodeStatus.Truncated;
  }
  if (b[o] >> 4 !== 6) {
    return DecodeStatus.Malformed;
  }
  const payloadLength = (b[o + 4] << 8) | b[o + 5];
  out.version = 6;
  out.ttl = b[o + 7];
  out.ipId = undefined;
  out.srcIp = ipv6Text(b, o + 8);
  out.dstIp = ipv6Text(b, o + 24);
  out.isFragment = false;
  out.laterFragment = false;
  // A zero payload length is a jumbogram (or offload): the capture says where it ends.
  const end = payloadLength === 0 ? captureEnd : Math.min(captureEnd, o + 40 + payloadLength);
  out.end = end;
  out.wireEnd = payloadLength === 0 ? captureEnd : o + 40 + payloadLength;
  out.cut = payloadLength === 0 || o + 40 + payloadLength > captureEnd;
  let next = b[o + 6];
  let p = o + 40;
  for (let n = 0; n < MAX_EXTENSION_HEADERS; n++) {
    switch (next) {
      case IPV6_HOP_BY_HOP:
      case IPV6_ROUTING:
      case IPV6_DEST_OPTIONS:
      case IPV6_MOBILITY: {
        if (end < p + 8) {
          return out.cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        }
        next = b[p];
        p += (b[p + 1] + 1) << 3;
        break;
      }
      case IPV6_AUTH: {
        if (end < p + 8) {
          return out.cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        }
        next = b[p];
        p += (b[p + 1] + 2) << 2;
        break;
      }
      case IPV6_FRAGMENT: {
        if (end < p + 8) {
          return out.cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        }
        const offsetAndFlags = (b[p + 2] << 8) | b[p + 3];
        out.isFragment = true;
        out.laterFragment = offsetAndFlags >> 3 !== 0;
        next = b[p];
        p += 8;
        break;
      }
      default:
        if (p > end) {
          return out.cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
        }
        out.protocol = next;
        out.transportOffset = p;
        return DecodeStatus.Ok;
    }
    if (next === IPV6_NO_NEXT) {
      out.protocol = next;
      out.transportOffset = Math.min(p, end);
      return DecodeStatus.Ok;
    }
  }
  return DecodeStatus.Malformed;
}
