// Unsigned integer reads in either byte order, straight from a byte array (faster than a DataView per record).

export function readU16(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

export function readU32(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
