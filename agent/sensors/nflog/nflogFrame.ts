/**
 * LINKTYPE_NFLOG (239) frames: a 4-byte header (address family, version, resource id = the NFLOG group, big-endian)
 * then TLVs whose length and type are in the capturing host's byte order, each padded to 4 bytes. Values keep the
 * kernel's netlink encoding (big-endian). Never throws: a frame that does not parse returns a status.
 */

export const LINKTYPE_NFLOG = 239;

// NFULA_* attribute types from linux/netfilter/nfnetlink_log.h.
export const NFULA = {
  PACKET_HDR: 1,
  MARK: 2,
  TIMESTAMP: 3,
  IFINDEX_INDEV: 4,
  IFINDEX_OUTDEV: 5,
  PAYLOAD: 9,
  PREFIX: 10,
  UID: 11,
} as const;

const MAX_KNOWN_TLV_TYPE = 32;

export interface NflogMessage {
  family: number;
  group: number;
  prefix: string;
  // Netfilter hook (0 PREROUTING, 1 INPUT, 2 FORWARD, 3 OUTPUT, 4 POSTROUTING) when the packet header is present.
  hook?: number;
  inIfIndex?: number;
  outIfIndex?: number;
  // Kernel timestamp, microseconds since the epoch, when logged with one.
  timeUs?: number;
  // The logged IP packet as a range of the frame (no copy).
  payloadStart: number;
  payloadEnd: number;
}

export type NflogFrameResult = NflogMessage | 'malformed' | 'no_payload';

function readU16(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

function readBe32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function readBe64(b: Uint8Array, o: number): number {
  return readBe32(b, o) * 2 ** 32 + readBe32(b, o + 4);
}

// The first TLV tells the host byte order: only one reading gives a sane length and a known type.
function detectLittleEndian(b: Uint8Array, o: number, end: number): boolean | undefined {
  for (const le of [true, false]) {
    const length = readU16(b, o, le);
    const type = readU16(b, o + 2, le) & 0x7fff;
    if (length >= 4 && o + length <= end && type >= 1 && type <= MAX_KNOWN_TLV_TYPE) {
      return le;
    }
  }
  return undefined;
}

export function decodeNflogFrame(b: Uint8Array, start = 0, end = b.length): NflogFrameResult {
  if (end - start < 8) {
    return 'malformed';
  }
  const family = b[start];
  const version = b[start + 1];
  if (version !== 0) {
    return 'malformed';
  }
  const message: NflogMessage = {
    family,
    group: (b[start + 2] << 8) | b[start + 3],
    prefix: '',
    payloadStart: -1,
    payloadEnd: -1,
  };
  let o = start + 4;
  const le = detectLittleEndian(b, o, end);
  if (le === undefined) {
    return 'malformed';
  }
  while (o + 4 <= end) {
    const length = readU16(b, o, le);
    // The top bit of the type is the netlink "nested" flag.
    const type = readU16(b, o + 2, le) & 0x7fff;
    if (length < 4 || o + length > end) {
      return 'malformed';
    }
    const v = o + 4;
    const vEnd = o + length;
    switch (type) {
      case NFULA.PACKET_HDR:
        if (vEnd - v >= 3) {
          message.hook = b[v + 2];
        }
        break;
      case NFULA.TIMESTAMP:
        if (vEnd - v >= 16) {
          message.timeUs = readBe64(b, v) * 1_000_000 + readBe64(b, v + 8);
        }
        break;
      case NFULA.IFINDEX_INDEV:
        if (vEnd - v >= 4) {
          message.inIfIndex = readBe32(b, v);
        }
        break;
      case NFULA.IFINDEX_OUTDEV:
        if (vEnd - v >= 4) {
          message.outIfIndex = readBe32(b, v);
        }
        break;
      case NFULA.PREFIX: {
        let nul = v;
        while (nul < vEnd && b[nul] !== 0) {
          nul++;
        }
        message.prefix = Buffer.from(b.buffer, b.byteOffset + v, nul - v).toString('utf8');
        break;
      }
      case NFULA.PAYLOAD:
        message.payloadStart = v;
        message.payloadEnd = vEnd;
        break;
    }
    o += (length + 3) & ~3;
  }
  return message.payloadStart < 0 ? 'no_payload' : message;
}
