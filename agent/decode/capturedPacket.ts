// The DecodedPacket the decoder hands out: plain fields, and a payload view made only when someone reads it.
import type { DecodedPacket, IcmpMessage, LinkType, TcpHeader, UdpHeader, Underlay } from './packet';

export class CapturedPacket implements DecodedPacket {
  vlan: number | undefined = undefined;
  linkType: LinkType | undefined = undefined;
  ifName: string | undefined = undefined;
  ifIndex: number | undefined = undefined;
  outgoing: boolean | undefined = undefined;
  ipId: number | undefined = undefined;
  underlay: Underlay | undefined = undefined;
  wirePayloadLength: number | undefined = undefined;
  tcp: TcpHeader | undefined = undefined;
  udp: UdpHeader | undefined = undefined;
  icmp: IcmpMessage | undefined = undefined;
  private view: Uint8Array | undefined = undefined;

  constructor(
    public timeUs: number,
    public wireLength: number,
    public ipVersion: 4 | 6,
    public srcIp: string,
    public dstIp: string,
    public protocol: number,
    public ttl: number,
    public fragment: boolean,
    // The capture buffer and where the transport payload sits in it.
    private frame: Uint8Array,
    public payloadOffset: number,
    public payloadEnd: number
  ) {}

  // Makes this object the next packet, every field as a fresh one would have it: a decoder whose packets live only
  // during the sink call hands out one object again and again instead of one per packet.
  refill(
    timeUs: number,
    wireLength: number,
    ipVersion: 4 | 6,
    srcIp: string,
    dstIp: string,
    protocol: number,
    ttl: number,
    fragment: boolean,
    frame: Uint8Array,
    payloadOffset: number,
    payloadEnd: number
  ): this {
    this.vlan = undefined;
    this.linkType = undefined;
    this.ifName = undefined;
    this.ifIndex = undefined;
    this.outgoing = undefined;
    this.ipId = undefined;
    this.underlay = undefined;
    this.wirePayloadLength = undefined;
    this.tcp = undefined;
    this.udp = undefined;
    this.icmp = undefined;
    this.view = undefined;
    this.timeUs = timeUs;
    this.wireLength = wireLength;
    this.ipVersion = ipVersion;
    this.srcIp = srcIp;
    this.dstIp = dstIp;
    this.protocol = protocol;
    this.ttl = ttl;
    this.fragment = fragment;
    this.frame = frame;
    this.payloadOffset = payloadOffset;
    this.payloadEnd = payloadEnd;
    return this;
  }

  get payloadLength(): number {
    return this.payloadEnd - this.payloadOffset;
  }

  // Creating a typed-array view costs more than decoding the headers, so it waits until asked for.
  get payload(): Uint8Array {
    if (this.view === undefined) {
      // A plain Uint8Array view: Buffer's subarray goes through a slower constructor for the same bytes.
      const frame = this.frame;
      this.view = new Uint8Array(
        frame.buffer,
        frame.byteOffset + this.payloadOffset,
        this.payloadEnd - this.payloadOffset
      );
    }
    return this.view;
  }

  set payload(bytes: Uint8Array) {
    this.view = bytes;
    this.payloadOffset = 0;
    this.payloadEnd = bytes.length;
  }

  toJSON(): Omit<DecodedPacket, 'payload'> & { payloadLength: number } {
    return {
      timeUs: this.timeUs,
      wireLength: this.wireLength,
      ipVersion: this.ipVersion,
      srcIp: this.srcIp,
      dstIp: this.dstIp,
      protocol: this.protocol,
      ttl: this.ttl,
      ipId: this.ipId,
      underlay: this.underlay,
      fragment: this.fragment,
      vlan: this.vlan,
      linkType: this.linkType,
      ifName: this.ifName,
      ifIndex: this.ifIndex,
      outgoing: this.outgoing,
      tcp: this.tcp,
      udp: this.udp,
      icmp: this.icmp,
      payloadLength: this.payloadLength,
      wirePayloadLength: this.wirePayloadLength,
    };
  }
}
