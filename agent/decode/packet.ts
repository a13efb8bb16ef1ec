// What the decoders hand to the trackers: one captured packet, its layers parsed, its payload a view (no copy).

export type LinkType = 'ethernet' | 'linux_sll' | 'linux_sll2' | 'raw_ip' | 'null';

export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  // SACK blocks as [left, right) sequence pairs.
  sack?: Array<[number, number]>;
  tsVal?: number;
  tsEcr?: number;
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  // Raw flag byte: FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80.
  flags: number;
  window: number;
  options: TcpOptions;
}

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
}

export interface IcmpMessage {
  version: 4 | 6;
  type: number;
  code: number;
  // The datagram the ICMP error quotes (its 5-tuple tells which flow was refused).
  quoted?: {
    protocol: number;
    srcIp: string;
    dstIp: string;
    srcPort?: number;
    dstPort?: number;
  };
}

export type Encapsulation = 'vxlan' | 'geneve' | 'gre';

// The outer addresses of a packet that arrived inside an overlay tunnel (the nodes, not the pods).
export interface Underlay {
  srcIp: string;
  dstIp: string;
  encapsulation: Encapsulation;
}

export interface DecodedPacket {
  // Capture timestamp, microseconds since the Unix epoch.
  timeUs: number;
  // Bytes on the wire (may exceed what was captured when the snap length cut it).
  wireLength: number;
  ipVersion: 4 | 6;
  srcIp: string;
  dstIp: string;
  // IP protocol number: 6 TCP, 17 UDP, 132 SCTP, 1 ICMP, 58 ICMPv6.
  protocol: number;
  ttl: number;
  // Set when the packet was decapsulated from VXLAN, Geneve or GRE: the outer endpoints.
  underlay?: Underlay;
  // IPv4 identification field: many stacks count it up per connection, which tells send order.
  ipId?: number;
  // True for any fragment but the first (no transport header to read).
  fragment: boolean;
  vlan?: number;
  // The link layer the frame was captured with.
  linkType?: LinkType;
  // Interface name when the capture says (pcapng if_name).
  ifName?: string;
  // Kernel interface index when the link layer says (Linux cooked v2, e.g. `tcpdump -i any`).
  ifIndex?: number;
  // Linux cooked captures tell sent from received packets.
  outgoing?: boolean;
  tcp?: TcpHeader;
  udp?: UdpHeader;
  icmp?: IcmpMessage;
  // Transport payload as a view into the capture buffer; copy it before keeping it past this packet.
  payload: Uint8Array;
  // payload.length, readable without creating the view (decoded packets make it lazily).
  payloadLength?: number;
  // TCP payload bytes on the wire when the snap length cut the capture short of them (sequence space still counts them).
  wirePayloadLength?: number;
}

// Counts kept by every decoder instead of throwing on bad input.
export interface DecodeCounters {
  // Frames offered to the decoder, decodable or not.
  packets: number;
  malformed: number;
  truncated: number;
  fragments: number;
  unsupportedLinkType: number;
  unsupportedProtocol: number;
}

export function newDecodeCounters(): DecodeCounters {
  return { packets: 0, malformed: 0, truncated: 0, fragments: 0, unsupportedLinkType: 0, unsupportedProtocol: 0 };
}
