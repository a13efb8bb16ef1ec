// pcapng: sections (SHB) that fix the byte order, interfaces (IDB) that fix link type and clock, packets (EPB/SPB/PB).
import { readU16, readU32 } from './byteOrder';
import { CaptureFormatError } from './captureErrors';
import type { RawFrameSink } from './captureFrame';
import { timestampUnit, toMicroseconds, type TimestampUnit } from './pcapngTimestamps';
import type { CaptureUnit, RecordReader } from './recordReader';

export const BLOCK = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  PACKET_OBSOLETE: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  ENHANCED_PACKET: 0x00000006,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_PROBE = 12;
// Larger blocks are corrupt length fields, not packets.
const MAX_BLOCK = 64 * 1024 * 1024;
const OPT_END = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

interface PcapngInterface {
  linkType: number;
  snapLength: number;
  name?: string;
  clock: TimestampUnit;
}

export function isPcapngMagic(first4: Uint8Array): boolean {
  return readU32(first4, 0, true) === BLOCK.SECTION_HEADER;
}

export class PcapngRecordReader implements RecordReader {
  private littleEndian = true;
  private sectionSeen = false;
  private interfaces: PcapngInterface[] = [];
  private packetIndex = 0;
  // Simple packet blocks carry no timestamp: they inherit the last one seen.
  private lastTimeUs = 0;

  unitLength(unit: CaptureUnit): number | CaptureFormatError {
    const { buf, offset, absoluteOffset } = unit;
    if (unit.length < BLOCK_PROBE) {
      return BLOCK_PROBE;
    }
    let le = this.littleEndian;
    const type = readU32(buf, offset, le);
    if (type === BLOCK.SECTION_HEADER) {
      const magicLe = readU32(buf, offset + 8, true);
      if (magicLe === BYTE_ORDER_MAGIC) {
        le = true;
      } else if (readU32(buf, offset + 8, false) === BYTE_ORDER_MAGIC) {
        le = false;
      } else {
        return new CaptureFormatError(
          `pcapng section header at byte ${absoluteOffset} has no byte-order magic`,
          absoluteOffset + 8
        );
      }
    } else if (!this.sectionSeen) {
      return new CaptureFormatError(`pcapng must start with a section header block`, absoluteOffset);
    }
    const length = readU32(buf, offset + 4, le);
    if (length < BLOCK_PROBE || length % 4 !== 0 || length > MAX_BLOCK) {
      return new CaptureFormatError(
        `pcapng block type 0x${type.toString(16)} at byte ${absoluteOffset} has impossible length ${length}`,
        absoluteOffset + 4
      );
    }
    return length;
  }

  consume(unit: CaptureUnit, sink: RawFrameSink): CaptureFormatError | undefined {
    const { buf, offset, length, absoluteOffset } = unit;
    const type = readU32(buf, offset, this.littleEndian);
    if (type === BLOCK.SECTION_HEADER) {
      this.littleEndian = readU32(buf, offset + 8, true) === BYTE_ORDER_MAGIC;
      this.sectionSeen = true;
      // Interface ids are scoped to their section.
      this.interfaces = [];
      return undefined;
    }
    const le = this.littleEndian;
    if (readU32(buf, offset + length - 4, le) !== length) {
      return new CaptureFormatError(
        `pcapng block at byte ${absoluteOffset}: trailing length does not match`,
        absoluteOffset + length - 4
      );
    }
    switch (type) {
      case BLOCK.INTERFACE_DESCRIPTION:
        return this.readInterface(buf, offset, length, absoluteOffset);
      case BLOCK.ENHANCED_PACKET:
        return this.readTimestampedPacket(unit, sink, readU32(buf, offset + 8, le), 'enhanced packet block');
      case BLOCK.SIMPLE_PACKET:
        return this.readSimplePacket(unit, sink);
      case BLOCK.PACKET_OBSOLETE:
        // The obsolete packet block is the enhanced one with a 16-bit interface id and a drops count beside it.
        return this.readTimestampedPacket(unit, sink, readU16(buf, offset + 8, le), 'packet block');
      default:
        // Name resolution, statistics, journal and custom blocks carry no packets.
        return undefined;
    }
  }

  describeUnit(unit: CaptureUnit): string {
    const { buf, offset, length: available } = unit;
    if (available < BLOCK_PROBE) {
      return `a block header (${available} of ${BLOCK_PROBE} bytes) after packet #${this.packetIndex}`;
    }
    const type = readU32(buf, offset, this.littleEndian);
    const length = readU32(buf, offset + 4, this.littleEndian);
    const what =
      type === BLOCK.ENHANCED_PACKET || type === BLOCK.SIMPLE_PACKET
        ? `packet #${this.packetIndex + 1}`
        : `block type 0x${type.toString(16)}`;
    return `${what} (${available} of ${length} block bytes)`;
  }

  private readInterface(
    buf: Uint8Array,
    offset: number,
    length: number,
    absoluteOffset: number
  ): CaptureFormatError | undefined {
    if (length < 20) {
      return new CaptureFormatError(`pcapng interface block at byte ${absoluteOffset} is too short`, absoluteOffset);
    }
    const le = this.littleEndian;
    const iface: PcapngInterface = {
      linkType: readU16(buf, offset + 8, le),
      snapLength: readU32(buf, offset + 12, le),
      clock: timestampUnit(undefined),
    };
    let tsresol: number | undefined;
    let tsoffset = 0;
    const end = offset + length - 4;
    let o = offset + 16;
    while (o + 4 <= end) {
      const code = readU16(buf, o, le);
      const len = readU16(buf, o + 2, le);
      const value = o + 4;
      if (code === OPT_END || value + len > end) {
        break;
      }
      if (code === IF_NAME) {
        iface.name = Buffer.from(buf.buffer, buf.byteOffset + value, len)
          .toString('utf8')
          .replace(/\0+$/, '');
      } else if (code === IF_TSRESOL && len >= 1) {
        tsresol = buf[value];
      } else if (code === IF_TSOFFSET && len >= 8) {
        // A signed 64-bit count of seconds; the high word is its sign extension in practice.
        const lowWord = readU32(buf, le ? value : value + 4, le);
        const highWord = readU32(buf, le ? value + 4 : value, le) | 0;
        tsoffset = highWord * 4294967296 + lowWord;
      }
      o = value + ((len + 3) & ~3);
    }
    iface.clock = timestampUnit(tsresol, tsoffset);
    this.interfaces.push(iface);
    return undefined;
  }

  private interfaceFor(id: number, absoluteOffset: number): PcapngInterface | CaptureFormatError {
    const iface = this.interfaces[id];
    if (!iface) {
      return new CaptureFormatError(
        `pcapng packet #${this.packetIndex + 1} at byte ${absoluteOffset} names undeclared interface ${id}`,
        absoluteOffset
      );
    }
    return iface;
  }

  // Enhanced (and obsolete) packet blocks: interface id, 64-bit timestamp, captured and wire lengths, then the frame.
  private readTimestampedPacket(
    unit: CaptureUnit,
    sink: RawFrameSink,
    interfaceId: number,
    blockName: string
  ): CaptureFormatError | undefined {
    const { buf, offset, length, absoluteOffset } = unit;
    const le = this.littleEndian;
    if (length < 32) {
      return new CaptureFormatError(`pcapng ${blockName} at byte ${absoluteOffset} is too short`, absoluteOffset);
    }
    const iface = this.interfaceFor(interfaceId, absoluteOffset);
    if (iface instanceof CaptureFormatError) {
      return iface;
    }
    const captured = readU32(buf, offset + 20, le);
    if (28 + captured + 4 > length) {
      return new CaptureFormatError(
        `pcapng packet #${this.packetIndex + 1} at byte ${absoluteOffset} claims ${captured} bytes beyond its block`,
        absoluteOffset + 20
      );
    }
    const timeUs = toMicroseconds(readU32(buf, offset + 12, le), readU32(buf, offset + 16, le), iface.clock);
    const wireLength = readU32(buf, offset + 24, le);
    this.emit(sink, timeUs, wireLength, buf, offset + 28, offset + 28 + captured, interfaceId, iface);
    return undefined;
  }

  private readSimplePacket(unit: CaptureUnit, sink: RawFrameSink): CaptureFormatError | undefined {
    const { buf, offset, length, absoluteOffset } = unit;
    const iface = this.interfaceFor(0, absoluteOffset);
    if (iface instanceof CaptureFormatError) {
      return iface;
    }
    const wireLength = readU32(buf, offset + 8, this.littleEndian);
    let captured = Math.min(wireLength, length - 16);
    if (iface.snapLength > 0) {
      captured = Math.min(captured, iface.snapLength);
    }
    this.emit(sink, this.lastTimeUs, wireLength, buf, offset + 12, offset + 12 + captured, 0, iface);
    return undefined;
  }

  private emit(
    sink: RawFrameSink,
    timeUs: number,
    wireLength: number,
    buf: Uint8Array,
    start: number,
    end: number,
    interfaceId: number,
    iface: PcapngInterface
  ): void {
    this.packetIndex++;
    this.lastTimeUs = timeUs;
    sink(buf, start, end, timeUs, wireLength, iface.linkType, interfaceId, iface.name);
  }
}
