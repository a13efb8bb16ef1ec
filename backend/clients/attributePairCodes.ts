// Short codes for (attribute key, value) pairs, so a span's attribute set is keyed by a few characters instead of
// its whole text: equal pairs get equal codes, and a set's key is the concatenation of its pairs' codes.
import type { AttributeValue } from './tempoSpan';

export class AttributePairCodes {
  // Per key, primitive values by identity (a string "1" and a number 1 are different values).
  private readonly primitives = new Map<string, Map<string | number | boolean, string>>();
  // Arrays and key-value lists, by their JSON text.
  private readonly composites = new Map<string, string>();
  private next = 0;

  code(key: string, value: AttributeValue): string {
    if (typeof value === 'object') {
      const text = `${key}\u0000${JSON.stringify(value)}`;
      let code = this.composites.get(text);
      if (code === undefined) {
        code = this.newCode();
        this.composites.set(text, code);
      }
      return code;
    }
    let values = this.primitives.get(key);
    if (values === undefined) {
      values = new Map();
      this.primitives.set(key, values);
    }
    let code = values.get(value);
    if (code === undefined) {
      code = this.newCode();
      values.set(value, code);
    }
    return code;
  }

  // Two UTF-16 units cover 2^32 distinct pairs, and a fixed width keeps concatenations unambiguous.
  private newCode(): string {
    const n = this.next++;
    return String.fromCharCode(n >>> 16, n & 0xffff);
  }
}
