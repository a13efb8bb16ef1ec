// RFC 7541 Appendix C's examples as test vectors (the RFC's hex in, its header lists and dynamic tables out),
// the Huffman code checked against Appendix B's codes, and malformed blocks refused without a throw.
import { HpackDecoder, type HeaderField } from './hpackDecoder';
import { decodeHuffman, huffmanCode } from './hpackHuffman';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const limits = { maxTableBytes: 64 * 1024, maxHeaderListBytes: 64 * 1024 };

function decodeAll(decoder: HpackDecoder, block: string): HeaderField[] {
  const r = decoder.decode(hex(block));
  if (!r.ok) {
    throw new Error(r.reason);
  }
  return r.headers;
}

describe('HPACK Huffman code (RFC 7541 Appendix B)', () => {
  it('gives the RFC codes for symbols across the table', () => {
    const expected: Array<[number, number, number]> = [
      [0, 0x1ff8, 13],
      [1, 0x7fffd8, 23],
      [10, 0x3ffffffc, 30],
      [32, 0x14, 6],
      [47, 0x18, 6],
      [48, 0x0, 5],
      [92, 0x7fff0, 19],
      [126, 0x1ffd, 13],
      [127, 0xffffffc, 28],
      [203, 0x7ffffde, 27],
      [255, 0x3ffffee, 26],
      [256, 0x3fffffff, 30],
    ];
    for (const [symbol, code, length] of expected) {
      expect([symbol, huffmanCode(symbol)]).toEqual([symbol, { code, length }]);
    }
  });

  it('is a complete prefix code (Kraft sum 1)', () => {
    let sum = 0;
    for (let s = 0; s <= 256; s++) {
      sum += 2 ** -huffmanCode(s).length;
    }
    expect(sum).toBe(1);
  });

  it('refuses EOS inside a string and padding that is not a short run of ones', () => {
    // "a" (00011) padded with 000: zero padding.
    expect(decodeHuffman(Uint8Array.of(0b00011000), 100)).toBeUndefined();
    // "a" then a whole byte of ones: padding longer than 7 bits.
    expect(decodeHuffman(Uint8Array.of(0b00011111, 0xff), 100)).toBeUndefined();
    // 30 ones: EOS itself.
    expect(decodeHuffman(Uint8Array.of(0xff, 0xff, 0xff, 0xfc), 100)).toBeUndefined();
    expect(Buffer.from(decodeHuffman(Uint8Array.of(0b00011111), 100)!).toString()).toBe('a');
  });
});

describe('HPACK decoding (RFC 7541 Appendix C)', () => {
  it('C.2: literal with indexing, without indexing, never indexed, indexed', () => {
    const d = new HpackDecoder(limits);
    expect(decodeAll(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')).toEqual([
      ['custom-key', 'custom-header'],
    ]);
    expect(d.dynamicTableBytes).toBe(55);
    const d2 = new HpackDecoder(limits);
    expect(decodeAll(d2, '040c 2f73 616d 706c 652f 7061 7468')).toEqual([[':path', '/sample/path']]);
    expect(decodeAll(d2, '1008 7061 7373 776f 7264 0673 6563 7265 74')).toEqual([['password', 'secret']]);
    expect(decodeAll(d2, '82')).toEqual([[':method', 'GET']]);
    expect(d2.dynamicTableBytes).toBe(0);
  });

  const requests = [
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ],
    [
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ],
    [
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ],
  ];
  const requestTables = [
    [[':authority', 'www.example.com']],
    [
      ['cache-control', 'no-cache'],
      [':authority', 'www.example.com'],
    ],
    [
      ['custom-key', 'custom-value'],
      ['cache-control', 'no-cache'],
      [':authority', 'www.example.com'],
    ],
  ];
  const requestSizes = [57, 110, 164];

  it.each([
    [
      'C.3 without Huffman',
      [
        '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
        '8286 84be 5808 6e6f 2d63 6163 6865',
        '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
      ],
    ],
    [
      'C.4 with Huffman',
      [
        '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
        '8286 84be 5886 a8eb 1064 9cbf',
        '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
      ],
    ],
  ])('%s: three requests on one connection', (_name, blocks) => {
    const d = new HpackDecoder(limits);
    blocks.forEach((block, i) => {
      expect(decodeAll(d, block)).toEqual(requests[i]);
      expect(d.dynamicTable).toEqual(requestTables[i]);
      expect(d.dynamicTableBytes).toBe(requestSizes[i]);
    });
  });

  const date1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
  const date2 = 'Mon, 21 Oct 2013 20:13:22 GMT';
  const cookie = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
  const responses = [
    [
      [':status', '302'],
      ['cache-control', 'private'],
      ['date', date1],
      ['location', 'https://www.example.com'],
    ],
    [
      [':status', '307'],
      ['cache-control', 'private'],
      ['date', date1],
      ['location', 'https://www.example.com'],
    ],
    [
      [':status', '200'],
      ['cache-control', 'private'],
      ['date', date2],
      ['location', 'https://www.example.com'],
      ['content-encoding', 'gzip'],
      ['set-cookie', cookie],
    ],
  ];
  const responseTables = [
    [
      ['location', 'https://www.example.com'],
      ['date', date1],
      ['cache-control', 'private'],
      [':status', '302'],
    ],
    [
      [':status', '307'],
      ['location', 'https://www.example.com'],
      ['date', date1],
      ['cache-control', 'private'],
    ],
    [
      ['set-cookie', cookie],
      ['content-encoding', 'gzip'],
      ['date', date2],
    ],
  ];
  const responseSizes = [222, 222, 215];
  const ascii = (s: string) => Buffer.from(s, 'latin1').toString('hex');

  it.each([
    [
      'C.5 without Huffman',
      [
        `4803 ${ascii('302')} 5807 ${ascii('private')} 611d ${ascii(date1)} 6e17 ${ascii('https://www.example.com')}`,
        '4803 3330 37c1 c0bf',
        `88c1 611d ${ascii(date2)} c0 5a04 677a 6970 7738 ${ascii(cookie)}`,
      ],
    ],
    [
      'C.6 with Huffman',
      [
        '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
        '4883 640e ffc1 c0bf',
        '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
      ],
    ],
  ])('%s: three responses with evictions from a 256-byte table', (_name, blocks) => {
    const d = new HpackDecoder(limits);
    // SETTINGS_HEADER_TABLE_SIZE 256, then the encoder's size update to it.
    d.setAllowedTableSize(256);
    expect(decodeAll(d, '3fe1 01')).toEqual([]);
    blocks.forEach((block, i) => {
      expect(decodeAll(d, block)).toEqual(responses[i]);
      expect(d.dynamicTable).toEqual(responseTables[i]);
      expect(d.dynamicTableBytes).toBe(responseSizes[i]);
    });
  });
});

describe('HPACK on malformed or oversized blocks', () => {
  it.each([
    ['index 0', '80'],
    ['an index past the dynamic table', 'be'],
    ['a cut-off integer', '7f'],
    ['an integer above 2^31', '7fff ffff ffff ff7f'],
    ['a string longer than the block', '400a 6375'],
    ['a literal name cut off before its value', '0003 6162 63'],
    ['a size update after a field', '8220'],
    ['a size update above the announced size', '3fe2 1f'],
    ['an invalid Huffman string', '0481 00'],
  ])('refuses %s with a reason', (_what, block) => {
    const r = new HpackDecoder(limits).decode(hex(block));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/\w/);
  });

  it('keeps the dynamic table within the observer limit and the header list within its bound', () => {
    const small = { maxTableBytes: 1024, maxHeaderListBytes: 100 };
    const d = new HpackDecoder(small);
    d.setAllowedTableSize(1 << 20);
    // A size update to 4096 is allowed by the peer but above what this observer keeps.
    const r = d.decode(hex('3fe1 1f'));
    expect(r.ok ? '' : r.reason).toMatch(/observer's limit/);
    const long = Buffer.alloc(80, 'x').toString('hex');
    const r2 = new HpackDecoder(small).decode(hex(`0003 616263 50 ${long}`));
    expect(r2.ok ? '' : r2.reason).toMatch(/header list above 100/);
  });

  it('evicts everything when an entry is larger than the table', () => {
    const d = new HpackDecoder(limits);
    d.setAllowedTableSize(64);
    expect(decodeAll(d, '3f21')).toEqual([]);
    decodeAll(d, '4001 61 01 62');
    expect(d.dynamicTableBytes).toBe(34);
    decodeAll(d, `4001 61 20 ${Buffer.alloc(32, 'v').toString('hex')}`);
    expect(d.dynamicTable).toEqual([]);
  });
});
