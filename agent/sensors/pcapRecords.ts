// Classic libpcap files: a 24-byte global header, then 16-byte record headers each followed by the frame.
import { readU16, readU32 } from './byteOrder';
import { CaptureFormatError } from './captureErrors';
import type { RawFrameSink } from './captureFrame';
import type { CaptureUnit, RecordReader } from './recordReader';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
// libpcap refuses records larger than this unless the snap length says more.
const MAX_SNAPLEN = 262144;
// A corrupt snap length must not let one record swallow the whole stream.
const MAX_RECORD_CEILING = 64 * 1024 * 1024;

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;

export function isPcapMagic(first4: Uint8Array): boolean {
  const le = readU32(first4, 0, true);
  const be = readU32(first4, 0, false);
  return le === PCAP_MAGIC_MICROS || le === PCAP_MAGIC_NANOS || be === PCAP_MAGIC_MICROS || be === PCAP_MAGIC_NANOS;
}

export class PcapRecordReader implements RecordReader {
  private headerSeen = false;
  private littleEndian = true;
  private nanos = false;
  private linkType = 0;
  private maxRecord = MAX_SNAPLEN;
  private packetIndex = 0;

  unitLength(unit: CaptureUnit): number | CaptureFormatError {
    if (!this.headerSeen) {
      return GLOBAL_HEADER;
    }
    if (unit.length < RECORD_HEADER) {
      return RECORD_HEADER;
    }
    const captured = readU32(unit.buf, unit.offset + 8, this.littleEndian);
    if (captured > this.maxRecord) {
      return new CaptureFormatError(
        `pcap record #${this.packetIndex + 1} at byte ${unit.absoluteOffset} claims ${captured} captured bytes (limit ${this.maxRecord})`,
        unit.absoluteOffset
      );
    }
    return RECORD_HEADER + captured;
  }

  consume(unit: CaptureUnit, sink: RawFrameSink): CaptureFormatError | undefined {
    const { buf, offset, length } = unit;
    if (!this.headerSeen) {
      return this.readGlobalHeader(buf, offset, unit.absoluteOffset);
    }
    const le = this.littleEndian;
    const seconds = readU32(buf, offset, le);
    const fraction = readU32(buf, offset + 4, le);
    const wireLength = readU32(buf, offset + 12, le);
    this.packetIndex++;
    const timeUs = seconds * 1_000_000 + (this.nanos ? Math.floor(fraction / 1000) : fraction);
    sink(buf, offset + RECORD_HEADER, offset + length, timeUs, wireLength, this.linkType, undefined, undefined);
    return undefined;
  }

  describeUnit(unit: CaptureUnit): string {
    const available = unit.length;
    if (!this.headerSeen) {
      return `the pcap global header (${available} of ${GLOBAL_HEADER} bytes)`;
    }
    if (available < RECORD_HEADER) {
      return `the header of record #${this.packetIndex + 1} (${available} of ${RECORD_HEADER} bytes)`;
    }
    const captured = readU32(unit.buf, unit.offset + 8, this.littleEndian);
    return `record #${this.packetIndex + 1} (${available - RECORD_HEADER} of ${captured} frame bytes)`;
  }

  private readGlobalHeader(buf: Uint8Array, offset: number, absoluteOffset: number): CaptureFormatError | undefined {
    const le = readU32(buf, offset, true);
    const be = readU32(buf, offset, false);
    if (le === PCAP_MAGIC_MICROS || le === PCAP_MAGIC_NANOS) {
      this.littleEndian = true;
      this.nanos = le === PCAP_MAGIC_NANOS;
    } else if (be === PCAP_MAGIC_MICROS || be === PCAP_MAGIC_NANOS) {
      this.littleEndian = false;
      this.nanos = be === PCAP_MAGIC_NANOS;
    } else {
      return new CaptureFormatError(`not a pcap file: magic 0x${be.toString(16).padStart(8, '0')}`, absoluteOffset);
    }
    const major = readU16(buf, offset + 4, this.littleEndian);
    if (major !== 2) {
      return new CaptureFormatError(`unsupported pcap version ${major}`, absoluteOffset + 4);
    }
    const snapLength = readU32(buf, offset + 16, this.littleEndian);
    // The upper bits carry FCS information; the link type is the low 16.
    this.linkType = readU32(buf, offset + 20, this.littleEndian) & 0xffff;
    this.maxRecord = Math.min(Math.max(MAX_SNAPLEN, snapLength), MAX_RECORD_CEILING);
    this.headerSeen = true;
    return undefined;
  }
}
