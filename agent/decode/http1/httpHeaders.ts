// An HTTP header section as sent: order and duplicates kept, lookups case-insensitive.

export class HttpHeaderList {
  // [name as sent, value] in wire order.
  readonly entries: Array<[string, string]> = [];

  add(name: string, value: string): void {
    this.entries.push([name, value]);
  }

  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [n, v] of this.entries) {
      if (n.length === wanted.length && n.toLowerCase() === wanted) {
        return v;
      }
    }
    return undefined;
  }

  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    return this.entries.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  // One value per lower-cased name, duplicates joined the way RFC 9110 allows for list fields.
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n, v] of this.entries) {
      const key = n.toLowerCase();
      out[key] = key in out ? `${out[key]}, ${v}` : v;
    }
    return out;
  }
}
