// An HTTP header section as sent: order and duplicates kept, lookups case-insensitive.

export class HttpHeaderList {
  // [name as sent, value] in wire order.
  readonly entries: Array<[string, string]> = [];
  // entries[i]'s name lower-cased, computed once when the field is added.
  private readonly lowerNames: string[] = [];

  // `lowerName` may be passed when the caller already knows it (the head parser does).
  add(name: string, value: string, lowerName = name.toLowerCase()): void {
    this.entries.push([name, value]);
    this.lowerNames.push(lowerName);
  }

  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    const names = this.lowerNames;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === wanted) {
        return this.entries[i][1];
      }
    }
    return undefined;
  }

  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    const names = this.lowerNames;
    const values: string[] = [];
    for (let i = 0; i < names.length; i++) {
      if (names[i] === wanted) {
        values.push(this.entries[i][1]);
      }
    }
    return values;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  // One value per lower-cased name, duplicates joined the way RFC 9110 allows for list fields.
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    const names = this.lowerNames;
    for (let i = 0; i < names.length; i++) {
      const key = names[i];
      const value = this.entries[i][1];
      // Own properties only: a field named like an Object.prototype member (constructor) is still a new key.
      out[key] = Object.hasOwn(out, key) ? `${out[key]}, ${value}` : value;
    }
    return out;
  }
}
