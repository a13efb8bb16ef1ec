import { StreamReassembler } from './streamReassembler';

function collector() {
  const out: string[] = [];
  const gaps: number[] = [];
  return {
    out,
    gaps,
    consumer: { onData: (d: Uint8Array) => out.push(Buffer.from(d).toString()), onGap: (n: number) => gaps.push(n) },
  };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('StreamReassembler', () => {
  it('delivers in order, trims retransmitted overlap and drops pure duplicates', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 1024);
    r.start(100);
    r.push(100, bytes('abc'), 1);
    r.push(100, bytes('abc'), 2);
    r.push(101, bytes('bcdef'), 3);
    expect(c.out.join('')).toBe('abcdef');
    expect(r.duplicateBytes).toBe(5);
  });

  it('holds early segments until the hole fills', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 1024);
    r.start(0);
    r.push(6, bytes('ghi'), 1);
    r.push(3, bytes('def'), 2);
    expect(c.out).toEqual([]);
    r.push(0, bytes('abc'), 3);
    expect(c.out.join('')).toBe('abcdefghi');
  });

  it('skips a hole it cannot wait for once the buffer cap is reached, and counts it', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 4);
    r.start(0);
    r.push(10, bytes('xyz'), 1);
    r.push(13, bytes('uvw'), 2);
    expect(c.gaps).toEqual([10]);
    expect(c.out.join('')).toBe('xyzuvw');
    expect(r.gaps).toBe(1);
  });

  it('skips a hole at once when the receiver acknowledges what follows it (the capture missed it)', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 1024);
    r.start(0);
    r.push(0, bytes('abc'), 1);
    r.push(10, bytes('klm'), 2);
    // An ACK up to the hole's start, or in flight, proves nothing yet.
    r.acked(3);
    r.acked(10);
    expect([c.out.join(''), c.gaps]).toEqual(['abc', []]);
    r.acked(13);
    expect([c.out.join(''), c.gaps]).toEqual(['abcklm', [7]]);
    // A late copy of the missed bytes is a duplicate now, not data.
    r.push(3, bytes('defghij'), 3);
    expect(c.out.join('')).toBe('abcklm');
  });

  it('works across the sequence-number wrap', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 1024);
    r.start(0xfffffffe);
    r.push(0x00000001, bytes('def'), 1);
    r.push(0xfffffffe, bytes('abc'), 2);
    expect(c.out.join('')).toBe('abcdef');
  });

  it('flushes held data with its gaps at the end of the stream', () => {
    const c = collector();
    const r = new StreamReassembler(c.consumer, 1024);
    r.start(0);
    r.push(5, bytes('late'), 1);
    r.flush();
    expect(c.gaps).toEqual([5]);
    expect(c.out).toEqual(['late']);
  });
});
