// Address text must be right whether it comes from the cache or is built: first sighting, repeats, slot collisions.
import { ipv4Text, ipv6Text } from './ipAddress';

const v4 = (a: number, b: number, c: number, d: number) => new Uint8Array([a, b, c, d]);

// Two addresses whose cache slot is the same, found the way the cache computes it.
function collidingPair(): [Uint8Array, Uint8Array] {
  const slot = (key: number) => (key ^ (key >>> 16)) & 0xffff;
  const first = (10 << 24) | (1 << 8) | 2;
  for (let x = 1; x < 1 << 16; x++) {
    const other = (11 << 24) | x;
    if (slot(other) === slot(first)) {
      return [v4(10, 0, 1, 2), v4(11, 0, (x >> 8) & 0xff, x & 0xff)];
    }
  }
  throw new Error('no colliding address in range');
}

describe('ipv4Text', () => {
  it('gives the dotted text on first sight and on every repeat', () => {
    const b = v4(192, 168, 0, 254);
    expect([ipv4Text(b, 0), ipv4Text(b, 0), ipv4Text(b, 0)]).toEqual([
      '192.168.0.254',
      '192.168.0.254',
      '192.168.0.254',
    ]);
  });

  it('keeps two addresses sharing a cache slot apart, however they alternate', () => {
    const [a, b] = collidingPair();
    const ta = `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
    const tb = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
    const seen = [a, a, b, a, b, b, a].map((x) => ipv4Text(x, 0));
    expect(seen).toEqual([ta, ta, tb, ta, tb, tb, ta]);
  });

  it('reads the address at its offset within a larger buffer', () => {
    const b = new Uint8Array([9, 9, 0, 0, 0, 0, 9]);
    expect(ipv4Text(b, 2)).toBe('0.0.0.0');
    expect(ipv4Text(b, 2)).toBe('0.0.0.0');
  });
});

describe('ipv6Text', () => {
  it('gives RFC 5952 text from the cache as when built', () => {
    const b = new Uint8Array(16);
    b[0] = 0xfd;
    b[15] = 1;
    expect([ipv6Text(b, 0), ipv6Text(b, 0)]).toEqual(['fd00::1', 'fd00::1']);
  });
});
