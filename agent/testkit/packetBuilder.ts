// Builds well-formed frames for tests and benchmarks (checksums left zero: the decoders do not verify them).

export interface TcpSegmentSpec {
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  flags: number;
  window?: number;
  // Raw option bytes, padded to 4 by the builder.
  options?: number[];
  payload?: Uint8Array;
}

export interface UdpDatagramSpec {
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array;
}

function ipBytes(ip: string): number[] {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::');
    const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
    const h = part(head);
    const t = tail === undefined ? [] : part(tail);
    const groups = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    return groups.flatMap((g) => [g >> 8, g & 0xff]);
  }
  return ip.split('.').map(Number);
}

export function tcpSegment(spec: TcpSegmentSpec): Uint8Array {
  const options = [...(spec.options ?? [])];
  while (options.length % 4 !== 0) {
    options.push(0);
  }
  const payload = spec.payload ?? new Uint8Array(0);
  const out = new Uint8Array(20 + options.length + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, spec.srcPort);
  v.setUint16(2, spec.dstPort);
  v.setUint32(4, spec.seq ?? 1000);
  v.setUint32(8, spec.ack ?? 0);
  out[12] = ((20 + options.length) / 4) << 4;
  out[13] = spec.flags;
  v.setUint16(14, spec.window ?? 65535);
  out.set(options, 20);
  out.set(payload, 20 + options.length);
  return out;
}

export function udpDatagram(spec: UdpDatagramSpec): Uint8Array {
  const payload = spec.payload ?? new Uint8Array(0);
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, spec.srcPort);
  v.setUint16(2, spec.dstPort);
  v.setUint16(4, out.length);
  out.set(payload, 8);
  return out;
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  protocol: number;
  ttl?: number;
  // Raw option bytes (multiple of 4).
  options?: number[];
  moreFragments?: boolean;
  fragmentOffset8?: number;
  id?: number;
}

export function ipv4Packet(spec: Ipv4Spec, body: Uint8Array): Uint8Array {
  const options = spec.options ?? [];
  const headerLength = 20 + options.length;
  const out = new Uint8Array(headerLength + body.length);
  const v = new DataView(out.buffer);
  out[0] = 0x40 | (headerLength / 4);
  v.setUint16(2, out.length);
  v.setUint16(4, spec.id ?? 1);
  v.setUint16(6, (spec.moreFragments ? 0x2000 : 0) | (spec.fragmentOffset8 ?? 0));
  out[8] = spec.ttl ?? 64;
  out[9] = spec.protocol;
  out.set(ipBytes(spec.src), 12);
  out.set(ipBytes(spec.dst), 16);
  out.set(options, 20);
  out.set(body, headerLength);
  return out;
}

export interface Ipv6Spec {
  src: string;
  dst: string;
  protocol: number;
  hopLimit?: number;
  // Extension headers in order, each as [type, raw bytes after the next-header byte].
  extensions?: Array<[number, number[]]>;
}

export function ipv6Packet(spec: Ipv6Spec, body: Uint8Array): Uint8Array {
  const extensions = spec.extensions ?? [];
  const extBytes: number[] = [];
  extensions.forEach(([, raw], i) => {
    const next = i + 1 < extensions.length ? extensions[i + 1][0] : spec.protocol;
    extBytes.push(next, ...raw);
  });
  const out = new Uint8Array(40 + extBytes.length + body.length);
  const v = new DataView(out.buffer);
  out[0] = 0x60;
  v.setUint16(4, extBytes.length + body.length);
  out[6] = extensions.length > 0 ? extensions[0][0] : spec.protocol;
  out[7] = spec.hopLimit ?? 64;
  out.set(ipBytes(spec.src), 8);
  out.set(ipBytes(spec.dst), 24);
  out.set(extBytes, 40);
  out.set(body, 40 + extBytes.length);
  return out;
}

export function ethernetFrame(
  ip: Uint8Array,
  vlans: number[] = [],
  etherType = ip[0] >> 4 === 6 ? 0x86dd : 0x0800
): Uint8Array {
  const out = new Uint8Array(14 + vlans.length * 4 + ip.length);
  const v = new DataView(out.buffer);
  out.set([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1], 0);
  let o = 12;
  vlans.forEach((vid, i) => {
    v.setUint16(o, i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100);
    v.setUint16(o + 2, vid);
    o += 4;
  });
  v.setUint16(o, etherType);
  out.set(ip, o + 2);
  return out;
}

export function linuxCookedFrame(ip: Uint8Array, packetType = 0): Uint8Array {
  const out = new Uint8Array(16 + ip.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, packetType);
  v.setUint16(2, 1);
  v.setUint16(4, 6);
  v.setUint16(14, ip[0] >> 4 === 6 ? 0x86dd : 0x0800);
  out.set(ip, 16);
  return out;
}

export function linuxCooked2Frame(ip: Uint8Array, ifIndex: number, packetType = 0): Uint8Array {
  const out = new Uint8Array(20 + ip.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, ip[0] >> 4 === 6 ? 0x86dd : 0x0800);
  v.setUint32(4, ifIndex);
  v.setUint16(8, 1);
  out[10] = packetType;
  out[11] = 6;
  out.set(ip, 20);
  return out;
}

export function bsdLoopbackFrame(ip: Uint8Array, littleEndian = true): Uint8Array {
  const out = new Uint8Array(4 + ip.length);
  new DataView(out.buffer).setUint32(0, ip[0] >> 4 === 6 ? 30 : 2, littleEndian);
  out.set(ip, 4);
  return out;
}

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;
