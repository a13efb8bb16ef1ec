// Builds LINKTYPE_NFLOG frames for tests: header, then TLVs (host byte order) padded to 4 bytes.
import { NFULA } from '../sensors/nflog/nflogFrame';

export interface NflogFrameSpec {
  group: number;
  family?: number;
  prefix?: string;
  payload?: Uint8Array;
  timeUs?: number;
  hook?: number;
  inIfIndex?: number;
  littleEndian?: boolean;
}

function tlv(type: number, value: Uint8Array, le: boolean): Uint8Array {
  const length = 4 + value.length;
  const out = new Uint8Array((length + 3) & ~3);
  const v = new DataView(out.buffer);
  v.setUint16(0, length, le);
  v.setUint16(2, type, le);
  out.set(value, 4);
  return out;
}

function be32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

export function nflogFrame(spec: NflogFrameSpec): Uint8Array {
  const le = spec.littleEndian ?? true;
  const parts: Uint8Array[] = [new Uint8Array([spec.family ?? 2, 0, spec.group >> 8, spec.group & 0xff])];
  parts.push(tlv(NFULA.PACKET_HDR, new Uint8Array([0x08, 0x00, spec.hook ?? 1, 0]), le));
  if (spec.prefix !== undefined) {
    parts.push(tlv(NFULA.PREFIX, new Uint8Array([...Buffer.from(spec.prefix, 'utf8'), 0]), le));
  }
  if (spec.inIfIndex !== undefined) {
    parts.push(tlv(NFULA.IFINDEX_INDEV, be32(spec.inIfIndex), le));
  }
  if (spec.timeUs !== undefined) {
    const ts = new Uint8Array(16);
    const v = new DataView(ts.buffer);
    v.setBigUint64(0, BigInt(Math.floor(spec.timeUs / 1e6)));
    v.setBigUint64(8, BigInt(spec.timeUs % 1e6));
    parts.push(tlv(NFULA.TIMESTAMP, ts, le));
  }
  if (spec.payload) {
    parts.push(tlv(NFULA.PAYLOAD, spec.payload, le));
  }
  return Buffer.concat(parts);
}
