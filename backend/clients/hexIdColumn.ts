// Trace and span ids as bytes: a normalised id (lowercase hex of a fixed width) costs its width in bytes
// instead of a string per span; any other id is kept as given.
const LOWER_HEX = /^[0-9a-f]+$/;

export class HexIdColumn {
  private bytes: Buffer;
  private readonly verbatim = new Map<number, string>();

  constructor(
    readonly width: number,
    capacity: number
  ) {
    this.bytes = Buffer.alloc(width * capacity);
  }

  get capacity(): number {
    return this.bytes.length / this.width;
  }

  set(index: number, id: string): void {
    if (id.length === 2 * this.width && LOWER_HEX.test(id)) {
      this.bytes.write(id, index * this.width, this.width, 'hex');
    } else {
      this.verbatim.set(index, id);
    }
  }

  get(index: number): string {
    return this.verbatim.get(index) ?? this.bytes.toString('hex', index * this.width, (index + 1) * this.width);
  }

  grow(capacity: number): void {
    const bytes = Buffer.alloc(this.width * capacity);
    this.bytes.copy(bytes);
    this.bytes = bytes;
  }
}
