// TCP (with options), UDP and ICMP/ICMPv6 headers, including the datagram an ICMP error quotes.
import { DecodeStatus } from './decodeStatus';
import { ipv4Text, ipv6Text } from './ipAddress';
import type { IcmpMessage, TcpHeader, TcpOptions, UdpHeader } from './packet';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;
export const PROTO_SCTP = 132;

const NO_OPTIONS: TcpOptions = Object.freeze({});

// Reused across packets: the last transport decode's outcome besides the header object.
export class TransportInfo {
  payloadOffset = 0;
  // A TCP option list that did not parse (the header itself is still usable).
  badOptions = false;
}

export function decodeTcp(
  b: Uint8Array,
  p: number,
  end: number,
  cut: boolean,
  info: TransportInfo,
  // A header object to overwrite instead of a new one (for packets that live only during the sink call).
  into?: ReusableTcpHeader
): TcpHeader | DecodeStatus {
  if (end < p + 20) {
    return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
  }
  const headerLength = (b[p + 12] >> 4) << 2;
  if (headerLength < 20) {
    return DecodeStatus.Malformed;
  }
  if (end < p + headerLength) {
    return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
  }
  info.payloadOffset = p + headerLength;
  info.badOptions = false;
  if (into !== undefined) {
    into.srcPort = (b[p] << 8) | b[p + 1];
    into.dstPort = (b[p + 2] << 8) | b[p + 3];
    into.seq = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
    into.ack = ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0;
    into.flags = b[p + 13];
    into.window = (b[p + 14] << 8) | b[p + 15];
    into.options =
      headerLength === 20 ? NO_OPTIONS : decodeTcpOptions(b, p + 20, p + headerLength, info, into.ownOptions);
    return into;
  }
  return {
    srcPort: (b[p] << 8) | b[p + 1],
    dstPort: (b[p + 2] << 8) | b[p + 3],
    seq: ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0,
    ack: ((b[p + 8] << 24) | (b[p + 9] << 16) | (b[p + 10] << 8) | b[p + 11]) >>> 0,
    flags: b[p + 13],
    window: (b[p + 14] << 8) | b[p + 15],
    options: headerLength === 20 ? NO_OPTIONS : decodeTcpOptions(b, p + 20, p + headerLength, info),
  };
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

// A TcpHeader to fill again and again, its fields in the order a decoded one has them, with the options object it
// fills for headers that carry options (absent options read as undefined, as on a fresh one).
export interface ReusableTcpHeader extends TcpHeader {
  readonly ownOptions: TcpOptions;
}

export function reusableTcpHeader(): ReusableTcpHeader {
  const ownOptions: TcpOptions = {
    mss: undefined,
    windowScale: undefined,
    sackPermitted: undefined,
    sack: undefined,
    tsVal: undefined,
    tsEcr: undefined,
  };
  const header = { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, options: NO_OPTIONS };
  // Not enumerable: the header still lists (and serialises) only the fields of a TcpHeader.
  return Object.defineProperty(header, 'ownOptions', { value: ownOptions, enumerable: false }) as ReusableTcpHeader;
}

export function decodeTcpOptions(
  b: Uint8Array,
  start: number,
  end: number,
  info: TransportInfo,
  // An options object to clear and fill instead of a new one.
  into?: TcpOptions
): TcpOptions {
  let options: TcpOptions;
  if (into === undefined) {
    options = {};
  } else {
    options = into;
    options.mss = undefined;
    options.windowScale = undefined;
    options.sackPermitted = undefined;
    options.sack = undefined;
    options.tsVal = undefined;
    options.tsEcr = undefined;
  }
  let o = start;
  while (o < end) {
    const kind = b[o];
    if (kind === 0) {
      break;
    }
    if (kind === 1) {
      o++;
      continue;
    }
    const length = o + 1 < end ? b[o + 1] : 0;
    if (length < 2 || o + length > end) {
      info.badOptions = true;
      break;
    }
    switch (kind) {
      case 2:
        if (length === 4) {
          options.mss = (b[o + 2] << 8) | b[o + 3];
        }
        break;
      case 3:
        if (length === 3) {
          options.windowScale = b[o + 2];
        }
        break;
      case 4:
        options.sackPermitted = true;
        break;
      case 5: {
        const blocks: Array<[number, number]> = [];
        for (let s = o + 2; s + 8 <= o + length; s += 8) {
          blocks.push([u32(b, s), u32(b, s + 4)]);
        }
        options.sack = blocks;
        break;
      }
      case 8:
        if (length === 10) {
          options.tsVal = u32(b, o + 2);
          options.tsEcr = u32(b, o + 6);
        }
        break;
    }
    o += length;
  }
  return options;
}

export function decodeUdp(
  b: Uint8Array,
  p: number,
  end: number,
  cut: boolean,
  info: TransportInfo
): UdpHeader | DecodeStatus {
  if (end < p + 8) {
    return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
  }
  const length = (b[p + 4] << 8) | b[p + 5];
  // Zero is legal for UDP over IPv6 jumbograms; anything else under 8 is a lie.
  if (length !== 0 && length < 8) {
    return DecodeStatus.Malformed;
  }
  info.payloadOffset = p + 8;
  return { srcPort: (b[p] << 8) | b[p + 1], dstPort: (b[p + 2] << 8) | b[p + 3] };
}

// The UDP length field may say less than the IP payload (trailing junk); the payload ends at the smaller.
export function udpPayloadEnd(b: Uint8Array, p: number, end: number): number {
  const length = (b[p + 4] << 8) | b[p + 5];
  return length === 0 ? end : Math.min(end, p + length);
}

const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

export function decodeIcmp(
  b: Uint8Array,
  p: number,
  end: number,
  cut: boolean,
  version: 4 | 6,
  info: TransportInfo
): IcmpMessage | DecodeStatus {
  if (end < p + 8) {
    return cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
  }
  const type = b[p];
  const message: IcmpMessage = { version, type, code: b[p + 1] };
  info.payloadOffset = p + 8;
  const isError = version === 4 ? ICMP4_ERRORS.has(type) : ICMP6_ERRORS.has(type);
  if (isError) {
    message.quoted = version === 4 ? quotedIpv4(b, p + 8, end) : quotedIpv6(b, p + 8, end);
  }
  return message;
}

function quotedPorts(
  b: Uint8Array,
  t: number,
  end: number,
  protocol: number,
  quoted: NonNullable<IcmpMessage['quoted']>
): void {
  if ((protocol === PROTO_TCP || protocol === PROTO_UDP || protocol === PROTO_SCTP) && t + 4 <= end) {
    quoted.srcPort = (b[t] << 8) | b[t + 1];
    quoted.dstPort = (b[t + 2] << 8) | b[t + 3];
  }
}

function quotedIpv4(b: Uint8Array, q: number, end: number): IcmpMessage['quoted'] {
  if (end < q + 20 || b[q] >> 4 !== 4) {
    return undefined;
  }
  const headerLength = (b[q] & 0x0f) << 2;
  if (headerLength < 20) {
    return undefined;
  }
  const quoted = { protocol: b[q + 9], srcIp: ipv4Text(b, q + 12), dstIp: ipv4Text(b, q + 16) };
  // A later fragment quotes no transport header.
  if ((((b[q + 6] << 8) | b[q + 7]) & 0x1fff) === 0) {
    quotedPorts(b, q + headerLength, end, quoted.protocol, quoted);
  }
  return quoted;
}

function quotedIpv6(b: Uint8Array, q: number, end: number): IcmpMessage['quoted'] {
  if (end < q + 40 || b[q] >> 4 !== 6) {
    return undefined;
  }
  let next = b[q + 6];
  let t = q + 40;
  // Hop-by-hop, routing and destination options are all "next, length in 8-octet units".
  for (let n = 0; n < 8 && (next === 0 || next === 43 || next === 60) && t + 8 <= end; n++) {
    next = b[t];
    t += (b[t + 1] + 1) << 3;
  }
  const quoted = { protocol: next, srcIp: ipv6Text(b, q + 8), dstIp: ipv6Text(b, q + 24) };
  quotedPorts(b, t, end, next, quoted);
  return quoted;
}
