// HPACK's Huffman code (RFC 7541 Appendix B) as a canonical code: only each symbol's code length is written down,
// the codes follow from the lengths (shorter codes first, equal lengths in symbol order), and 256 is EOS.

// Code length in bits of symbols 0–256, sixteen per row.
// prettier-ignore
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

export const HUFFMAN_EOS = 256;
const MAX_LENGTH = 30;

interface CanonicalCode {
  // Per length: the first code of that length, how many codes have it, and where its symbols start in `symbols`.
  firstCode: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  symbols: Uint16Array;
  // Per symbol: its code, for checking the table against the RFC's.
  codes: Uint32Array;
}

function buildCanonicalCode(): CanonicalCode {
  const count = new Int32Array(MAX_LENGTH + 1);
  for (const length of CODE_LENGTHS) {
    count[length]++;
  }
  const firstCode = new Int32Array(MAX_LENGTH + 1);
  const offset = new Int32Array(MAX_LENGTH + 1);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= MAX_LENGTH; length++) {
    firstCode[length] = code;
    offset[length] = index;
    code = (code + count[length]) * 2;
    index += count[length];
  }
  const symbols = new Uint16Array(CODE_LENGTHS.length);
  const codes = new Uint32Array(CODE_LENGTHS.length);
  const next = Int32Array.from(firstCode);
  const slot = Int32Array.from(offset);
  for (let symbol = 0; symbol < CODE_LENGTHS.length; symbol++) {
    const length = CODE_LENGTHS[symbol];
    codes[symbol] = next[length]++;
    symbols[slot[length]++] = symbol;
  }
  return { firstCode, count, offset, symbols, codes };
}

const CODE = buildCanonicalCode();

export function huffmanCode(symbol: number): { code: number; length: number } {
  return { code: CODE.codes[symbol], length: CODE_LENGTHS[symbol] };
}

// The decoded bytes, or undefined when the input is not a valid HPACK Huffman string (EOS inside it, or padding
// longer than 7 bits or not made of ones: RFC 7541 §5.2).
export function decodeHuffman(input: Uint8Array, maxOutput: number): Uint8Array | undefined {
  const out = new Uint8Array(Math.min(maxOutput, Math.ceil((input.length * 8) / 5)));
  let written = 0;
  let code = 0;
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((byte >> bit) & 1);
      length++;
      const index = code - CODE.firstCode[length];
      if (index < CODE.count[length]) {
        const symbol = CODE.symbols[CODE.offset[length] + index];
        if (symbol === HUFFMAN_EOS || written >= out.length) {
          return undefined;
        }
        out[written++] = symbol;
        code = 0;
        length = 0;
      } else if (length >= MAX_LENGTH) {
        return undefined;
      }
    }
  }
  // What is left must be a prefix of EOS (all ones), shorter than a byte.
  if (length > 7 || code !== (1 << length) - 1) {
    return undefined;
  }
  return out.subarray(0, written);
}
