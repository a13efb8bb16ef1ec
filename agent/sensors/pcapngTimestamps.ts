// pcapng timestamps are 64-bit counts of an interface-chosen unit; the pipeline wants microseconds.

export interface TimestampUnit {
  // Units per second as if_tsresol says: 10^n, or 2^n when its high bit is set.
  unitsPerSecond: number;
  base2: boolean;
  // if_tsoffset, in seconds.
  offsetSeconds: number;
}

export const MICROSECOND_UNIT: TimestampUnit = { unitsPerSecond: 1_000_000, base2: false, offsetSeconds: 0 };

export function timestampUnit(tsresol: number | undefined, offsetSeconds = 0): TimestampUnit {
  if (tsresol === undefined) {
    return { ...MICROSECOND_UNIT, offsetSeconds };
  }
  const exponent = tsresol & 0x7f;
  const base2 = (tsresol & 0x80) !== 0;
  return { unitsPerSecond: base2 ? 2 ** exponent : 10 ** exponent, base2, offsetSeconds };
}

// Exact for every decimal resolution up to nanoseconds without BigInt; other units take the BigInt path.
export function toMicroseconds(high: number, low: number, unit: TimestampUnit): number {
  const offsetUs = unit.offsetSeconds * 1_000_000;
  const ups = unit.unitsPerSecond;
  if (ups === 1_000_000) {
    return high * 4294967296 + low + offsetUs;
  }
  if (!unit.base2 && ups > 1_000_000 && ups <= 1_000_000_000) {
    const divisor = ups / 1_000_000;
    const highQuotient = Math.floor(high / divisor);
    const highRemainder = high - highQuotient * divisor;
    return highQuotient * 4294967296 + Math.floor((highRemainder * 4294967296 + low) / divisor) + offsetUs;
  }
  if (!unit.base2 && ups < 1_000_000) {
    return (high * 4294967296 + low) * (1_000_000 / ups) + offsetUs;
  }
  const value = (BigInt(high) << 32n) | BigInt(low);
  return Number((value * 1_000_000n) / BigInt(Math.round(ups))) + offsetUs;
}
