// Writes pcap and pcapng captures in either byte order, for reader tests and benchmarks.

export interface FrameRecord {
  timeUs: number;
  data: Uint8Array;
  wireLength?: number;
  interfaceId?: number;
}

export interface PcapWriteOptions {
  linkType: number;
  littleEndian?: boolean;
  nanoseconds?: boolean;
  snapLength?: number;
}

export function writePcap(frames: FrameRecord[], options: PcapWriteOptions): Uint8Array {
  const le = options.littleEndian ?? true;
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, options.snapLength ?? 262144, le);
  v.setUint32(20, options.linkType, le);
  let o = 24;
  for (const f of frames) {
    const seconds = Math.floor(f.timeUs / 1e6);
    const micros = f.timeUs - seconds * 1e6;
    v.setUint32(o, seconds, le);
    v.setUint32(o + 4, options.nanoseconds ? micros * 1000 : micros, le);
    v.setUint32(o + 8, f.data.length, le);
    v.setUint32(o + 12, f.wireLength ?? f.data.length, le);
    out.set(f.data, o + 16);
    o += 16 + f.data.length;
  }
  return out;
}

export interface PcapngInterfaceSpec {
  linkType: number;
  name?: string;
  // if_tsresol byte; omitted means microseconds.
  tsresol?: number;
  snapLength?: number;
}

class BlockWriter {
  readonly parts: Uint8Array[] = [];
  constructor(readonly le: boolean) {}

  block(type: number, body: Uint8Array): void {
    const padded = (body.length + 3) & ~3;
    const out = new Uint8Array(12 + padded);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, out.length, this.le);
    out.set(body, 8);
    v.setUint32(out.length - 4, out.length, this.le);
    this.parts.push(out);
  }
}

function option(code: number, value: Uint8Array, le: boolean): Uint8Array {
  const out = new Uint8Array(4 + ((value.length + 3) & ~3));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, le);
  v.setUint16(2, value.length, le);
  out.set(value, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function unitsPerSecond(tsresol: number | undefined): bigint {
  if (tsresol === undefined) {
    return 1_000_000n;
  }
  return tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
}

export function writePcapng(
  interfaces: PcapngInterfaceSpec[],
  frames: FrameRecord[],
  options: { littleEndian?: boolean; simplePackets?: boolean } = {}
): Uint8Array {
  const le = options.littleEndian ?? true;
  const w = new BlockWriter(le);
  const shb = new Uint8Array(16);
  const sv = new DataView(shb.buffer);
  sv.setUint32(0, 0x1a2b3c4d, le);
  sv.setUint16(4, 1, le);
  sv.setBigInt64(8, -1n, le);
  w.block(0x0a0d0d0a, shb);
  for (const iface of interfaces) {
    const head = new Uint8Array(8);
    const hv = new DataView(head.buffer);
    hv.setUint16(0, iface.linkType, le);
    hv.setUint32(4, iface.snapLength ?? 262144, le);
    const opts: Uint8Array[] = [head];
    if (iface.name) {
      opts.push(option(2, new TextEncoder().encode(iface.name), le));
    }
    if (iface.tsresol !== undefined) {
      opts.push(option(9, Uint8Array.of(iface.tsresol), le));
    }
    opts.push(new Uint8Array(4));
    w.block(1, concat(opts));
  }
  for (const f of frames) {
    if (options.simplePackets) {
      const body = new Uint8Array(4 + f.data.length);
      new DataView(body.buffer).setUint32(0, f.wireLength ?? f.data.length, le);
      body.set(f.data, 4);
      w.block(3, body);
      continue;
    }
    const id = f.interfaceId ?? 0;
    const ts = (BigInt(f.timeUs) * unitsPerSecond(interfaces[id]?.tsresol)) / 1_000_000n;
    const body = new Uint8Array(20 + ((f.data.length + 3) & ~3));
    const bv = new DataView(body.buffer);
    bv.setUint32(0, id, le);
    bv.setUint32(4, Number(ts >> 32n), le);
    bv.setUint32(8, Number(ts & 0xffffffffn), le);
    bv.setUint32(12, f.data.length, le);
    bv.setUint32(16, f.wireLength ?? f.data.length, le);
    body.set(f.data, 20);
    w.block(6, body);
  }
  return concat(w.parts);
}
