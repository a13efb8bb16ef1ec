// HPACK header block decoding (RFC 7541): integers, string literals (plain or Huffman), the static table and a
// dynamic table per direction, with size updates. Bounded: the table never exceeds maxTableBytes, a block never
// decodes to more than maxHeaderListBytes; anything else is refused with a reason, never thrown.
import { decodeHuffman } from './hpackHuffman';
import { HPACK_STATIC_TABLE } from './hpackStaticTable';

export type HeaderField = readonly [name: string, value: string];

export type HpackResult = { ok: true; headers: HeaderField[] } | { ok: false; reason: string };

export interface HpackLimits {
  // The largest dynamic table this observer keeps (SETTINGS_HEADER_TABLE_SIZE above it is refused).
  maxTableBytes: number;
  maxHeaderListBytes: number;
}

// RFC 7541 §4.1: an entry's size is its name and value lengths plus 32.
const ENTRY_OVERHEAD = 32;
const DEFAULT_TABLE_BYTES = 4096;

class Malformed extends Error {}

export class HpackDecoder {
  // Newest entry first, as HPACK indexes it.
  private readonly entries: HeaderField[] = [];
  private tableBytes = 0;
  private maxSize = DEFAULT_TABLE_BYTES;
  // The receiver's SETTINGS_HEADER_TABLE_SIZE: the most a size update may ask for.
  private allowedSize = DEFAULT_TABLE_BYTES;

  constructor(private readonly limits: HpackLimits) {}

  get dynamicTableBytes(): number {
    return this.tableBytes;
  }

  get dynamicTable(): readonly HeaderField[] {
    return this.entries;
  }

  // The receiving side announced a table size; the encoder may now size its table up to it.
  setAllowedTableSize(bytes: number): void {
    this.allowedSize = bytes;
    // An acknowledged reduction binds the encoder even before it sends an update.
    if (this.maxSize > bytes) {
      this.resize(bytes);
    }
  }

  decode(block: Uint8Array): HpackResult {
    try {
      return { ok: true, headers: this.decodeFields(block) };
    } catch (err) {
      if (err instanceof Malformed) {
        return { ok: false, reason: err.message };
      }
      throw err;
    }
  }

  private decodeFields(block: Uint8Array): HeaderField[] {
    const headers: HeaderField[] = [];
    let listBytes = 0;
    const cursor = { at: 0 };
    let fieldsSeen = false;
    while (cursor.at < block.length) {
      const first = block[cursor.at];
      let field: HeaderField;
      if (first & 0x80) {
        // Indexed header field (§6.1).
        field = this.lookup(readInteger(block, cursor, 7));
      } else if (first & 0x40) {
        // Literal with incremental indexing (§6.2.1).
        field = this.readLiteral(block, cursor, 6);
        this.insert(field);
      } else if (first & 0x20) {
        // Dynamic table size update (§6.3): only before the first field of a block.
        if (fieldsSeen) {
          throw new Malformed('table size update after a header field');
        }
        const size = readInteger(block, cursor, 5);
        if (size > this.allowedSize) {
          throw new Malformed(`table size update to ${size} above the announced ${this.allowedSize}`);
        }
        if (size > this.limits.maxTableBytes) {
          throw new Malformed(`table size update to ${size} above this observer's limit ${this.limits.maxTableBytes}`);
        }
        this.resize(size);
        continue;
      } else {
        // Literal without indexing (§6.2.2) or never indexed (§6.2.3): 4-bit prefix either way.
        field = this.readLiteral(block, cursor, 4);
      }
      fieldsSeen = true;
      listBytes += field[0].length + field[1].length + ENTRY_OVERHEAD;
      if (listBytes > this.limits.maxHeaderListBytes) {
        throw new Malformed(`header list above ${this.limits.maxHeaderListBytes} bytes`);
      }
      headers.push(field);
    }
    return headers;
  }

  private lookup(index: number): HeaderField {
    if (index === 0) {
      throw new Malformed('index 0');
    }
    if (index <= HPACK_STATIC_TABLE.length) {
      return HPACK_STATIC_TABLE[index - 1];
    }
    const entry = this.entries[index - HPACK_STATIC_TABLE.length - 1];
    if (!entry) {
      throw new Malformed(`index ${index} beyond the dynamic table (${this.entries.length} entries)`);
    }
    return entry;
  }

  private readLiteral(block: Uint8Array, cursor: { at: number }, prefixBits: number): HeaderField {
    const nameIndex = readInteger(block, cursor, prefixBits);
    const name = nameIndex === 0 ? this.readString(block, cursor) : this.lookup(nameIndex)[0];
    return [name, this.readString(block, cursor)];
  }

  private readString(block: Uint8Array, cursor: { at: number }): string {
    if (cursor.at >= block.length) {
      throw new Malformed('string literal cut off');
    }
    const huffman = (block[cursor.at] & 0x80) !== 0;
    const length = readInteger(block, cursor, 7);
    if (length > block.length - cursor.at) {
      throw new Malformed(`string literal of ${length} bytes, ${block.length - cursor.at} left`);
    }
    const raw = block.subarray(cursor.at, cursor.at + length);
    cursor.at += length;
    if (!huffman) {
      return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
    }
    const decoded = decodeHuffman(raw, this.limits.maxHeaderListBytes);
    if (!decoded) {
      throw new Malformed('invalid Huffman string');
    }
    return Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length).toString('latin1');
  }

  // §4.4: the new entry evicts from the oldest end until it fits; one larger than the table empties it.
  private insert(field: HeaderField): void {
    const size = field[0].length + field[1].length + ENTRY_OVERHEAD;
    if (size > this.maxSize) {
      this.entries.length = 0;
      this.tableBytes = 0;
      return;
    }
    this.evictTo(this.maxSize - size);
    this.entries.unshift(field);
    this.tableBytes += size;
  }

  private resize(size: number): void {
    this.maxSize = size;
    this.evictTo(size);
  }

  private evictTo(bytes: number): void {
    while (this.tableBytes > bytes && this.entries.length > 0) {
      const old = this.entries.pop()!;
      this.tableBytes -= old[0].length + old[1].length + ENTRY_OVERHEAD;
    }
  }
}

// §5.1: an N-bit prefix integer, continued in 7-bit groups; more than 2^31 is refused (no real header needs it).
function readInteger(block: Uint8Array, cursor: { at: number }, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  let value = block[cursor.at++] & max;
  if (value < max) {
    return value;
  }
  let shift = 0;
  for (;;) {
    if (cursor.at >= block.length) {
      throw new Malformed('integer cut off');
    }
    const b = block[cursor.at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (value > 0x7fffffff) {
      throw new Malformed('integer too large');
    }
    if ((b & 0x80) === 0) {
      return value;
    }
  }
}
