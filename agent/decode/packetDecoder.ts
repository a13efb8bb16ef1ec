// Frame bytes → DecodedPacket. Never throws: whatever does not decode is counted in `counters` and skipped.
import type { CapturedFrame } from '../sensors/captureFrame';
import { DecodeStatus } from './decodeStatus';
import { decodeLinkLayer, ETHERTYPE_IPV4, LinkInfo } from './linkLayer';
import { decodeIpv4, decodeIpv6, NetworkInfo } from './networkLayer';
import { CapturedPacket } from './capturedPacket';
import { newDecodeCounters, type DecodeCounters } from './packet';
import {
  decodeIcmp,
  decodeTcp,
  decodeUdp,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTO_TCP,
  PROTO_UDP,
  reusableTcpHeader,
  type ReusableTcpHeader,
  TransportInfo,
  udpPayloadEnd,
} from './transportLayer';
import { greTunnel, udpTunnel, type InnerFrame } from './tunnels';

const MAX_TUNNEL_DEPTH = 2;
const EMPTY = new Uint8Array(0);

export interface PacketDecoderOptions {
  // The sink uses each packet (and its TCP header) only during its call and keeps neither: one object is reused.
  reusePackets?: boolean;
}

export class PacketDecoder {
  readonly counters: DecodeCounters;
  private readonly link = new LinkInfo();
  private readonly net = new NetworkInfo();
  private readonly transport = new TransportInfo();
  // Tunnels inside tunnels are decoded this deep at most.
  private tunnelDepth = 0;
  // Set when packets live only during the sink call: one packet and one TCP header are filled again for each frame,
  // sparing the garbage collector two objects per packet.
  private readonly reused: CapturedPacket | undefined;
  private readonly reusedTcp: ReusableTcpHeader | undefined;

  constructor(counters: DecodeCounters = newDecodeCounters(), options: PacketDecoderOptions = {}) {
    this.counters = counters;
    if (options.reusePackets) {
      this.reused = new CapturedPacket(0, 0, 4, '', '', 0, 0, false, EMPTY, 0, 0);
      this.reusedTcp = reusableTcpHeader();
    }
  }

  decodeFrame(frame: CapturedFrame): CapturedPacket | undefined {
    return this.decodeRange(
      frame.data,
      0,
      frame.data.length,
      frame.linkType,
      frame.timeUs,
      frame.wireLength,
      frame.ifName
    );
  }

  decode(
    b: Uint8Array,
    linkType: number,
    timeUs: number,
    wireLength: number,
    ifName?: string
  ): CapturedPacket | undefined {
    return this.decodeRange(b, 0, b.length, linkType, timeUs, wireLength, ifName);
  }

  // The frame is b[start, end); no view is created unless the payload is read.
  decodeRange(
    b: Uint8Array,
    start: number,
    end: number,
    linkType: number,
    timeUs: number,
    wireLength: number,
    ifName?: string
  ): CapturedPacket | undefined {
    const counters = this.counters;
    counters.packets++;
    const link = this.link;
    let status = decodeLinkLayer(b, start, end, linkType, link);
    if (status !== DecodeStatus.Ok) {
      this.count(status);
      return undefined;
    }
    const net = this.net;
    status =
      link.etherType === ETHERTYPE_IPV4
        ? decodeIpv4(b, link.networkOffset, end, net)
        : decodeIpv6(b, link.networkOffset, end, net);
    if (status !== DecodeStatus.Ok) {
      this.count(status);
      return undefined;
    }
    const packet =
      this.reused !== undefined
        ? this.reused.refill(
            timeUs,
            wireLength,
            net.version,
            net.srcIp,
            net.dstIp,
            net.protocol,
            net.ttl,
            net.laterFragment,
            b,
            net.transportOffset,
            net.end
          )
        : new CapturedPacket(
            timeUs,
            wireLength,
            net.version,
            net.srcIp,
            net.dstIp,
            net.protocol,
            net.ttl,
            net.laterFragment,
            b,
            net.transportOffset,
            net.end
          );
    packet.vlan = link.vlan;
    packet.linkType = link.linkType;
    packet.ifName = ifName;
    packet.ifIndex = link.ifIndex;
    packet.outgoing = link.outgoing;
    packet.ipId = net.ipId;
    if (net.isFragment) {
      counters.fragments++;
      if (net.laterFragment) {
        return packet;
      }
    }
    const inner = net.isFragment ? undefined : this.tunnelOf(b, net.protocol);
    if (inner && this.tunnelDepth < MAX_TUNNEL_DEPTH) {
      return this.decapsulate(b, inner, start, packet, ifName);
    }
    return this.decodeTransport(b, packet);
  }

  private tunnelOf(b: Uint8Array, protocol: number): InnerFrame | undefined {
    const net = this.net;
    if (protocol !== PROTO_UDP) {
      return greTunnel(b, net.transportOffset, net.end, protocol);
    }
    const o = net.transportOffset;
    return net.end < o + 8 ? undefined : udpTunnel(b, o + 8, net.end, (b[o + 2] << 8) | b[o + 3]);
  }

  // The inner frame decoded as the packet; the outer addresses kept as its underlay. A frame counts once.
  private decapsulate(
    b: Uint8Array,
    inner: InnerFrame,
    frameStart: number,
    outer: CapturedPacket,
    ifName: string | undefined
  ): CapturedPacket | undefined {
    this.counters.packets--;
    this.tunnelDepth++;
    // Read before the inner decode: a reused packet object is the outer one too.
    const underlay = { srcIp: outer.srcIp, dstIp: outer.dstIp, encapsulation: inner.encapsulation };
    let packet: CapturedPacket | undefined;
    try {
      const wireLength = outer.wireLength - (inner.start - frameStart);
      packet = this.decodeRange(b, inner.start, this.net.end, inner.linkType, outer.timeUs, wireLength, ifName);
    } finally {
      this.tunnelDepth--;
    }
    if (packet) {
      packet.underlay = underlay;
    }
    return packet;
  }

  private decodeTransport(b: Uint8Array, packet: CapturedPacket): CapturedPacket | undefined {
    const net = this.net;
    const transport = this.transport;
    const p = net.transportOffset;
    const end = net.end;
    switch (net.protocol) {
      case PROTO_TCP: {
        const tcp = decodeTcp(b, p, end, net.cut, transport, this.reusedTcp);
        if (typeof tcp === 'number') {
          this.count(tcp);
          return undefined;
        }
        if (transport.badOptions) {
          this.counters.malformed++;
        }
        packet.tcp = tcp;
        packet.payloadOffset = transport.payloadOffset;
        if (net.wireEnd > net.end) {
          packet.wirePayloadLength = net.wireEnd - transport.payloadOffset;
        }
        return packet;
      }
      case PROTO_UDP: {
        const udp = decodeUdp(b, p, end, net.cut, transport);
        if (typeof udp === 'number') {
          this.count(udp);
          return undefined;
        }
        packet.udp = udp;
        packet.payloadOffset = transport.payloadOffset;
        packet.payloadEnd = udpPayloadEnd(b, p, end);
        return packet;
      }
      case PROTO_ICMP:
      case PROTO_ICMPV6: {
        const icmp = decodeIcmp(b, p, end, net.cut, net.version, transport);
        if (typeof icmp === 'number') {
          this.count(icmp);
          return undefined;
        }
        packet.icmp = icmp;
        packet.payloadOffset = transport.payloadOffset;
        return packet;
      }
      default:
        // SCTP, GRE, ESP…: the IP facts are still worth a flow record; only the transport is opaque.
        this.counters.unsupportedProtocol++;
        return packet;
    }
  }

  private count(status: DecodeStatus): void {
    const counters = this.counters;
    switch (status) {
      case DecodeStatus.Truncated:
        counters.truncated++;
        break;
      case DecodeStatus.Malformed:
        counters.malformed++;
        break;
      case DecodeStatus.UnsupportedLinkType:
        counters.unsupportedLinkType++;
        break;
      case DecodeStatus.UnsupportedProtocol:
        counters.unsupportedProtocol++;
        break;
    }
  }
}
