import { CaptureTruncatedError } from './captureErrors';
import { readCaptureBuffer } from './captureFile';
import { LINKTYPE, type CapturedFrame } from './captureFrame';
import { CaptureStreamParser } from './captureStreamParser';
import { writePcap, writePcapng, type FrameRecord } from '../testkit/captureWriter';

const T0 = 1_763_700_000_123_456;

function frames(n: number): FrameRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    timeUs: T0 + i * 1001,
    data: Uint8Array.from({ length: 20 + (i % 7) }, (_, j) => (i + j) & 0xff),
    wireLength: 1500,
  }));
}

function collect(bytes: Uint8Array, chunkSize?: number) {
  const out: CapturedFrame[] = [];
  const parser = new CaptureStreamParser((f) => out.push(f));
  const step = chunkSize ?? bytes.length;
  for (let o = 0; o < bytes.length; o += step) {
    parser.push(bytes.subarray(o, o + step));
  }
  return { frames: out, error: parser.end(), format: parser.format };
}

describe('CaptureStreamParser', () => {
  const input = frames(9);

  it('keeps its own copy of a record cut by the chunk end, so the caller may reuse its read buffer', () => {
    const bytes = Buffer.from(writePcap(input, { linkType: LINKTYPE.ETHERNET }));
    const got: number[][] = [];
    const parser = new CaptureStreamParser((f) => got.push([...f.data]));
    // One reused Buffer, as a file reader with a fixed read buffer fills it.
    const reused = Buffer.alloc(37);
    for (let o = 0; o < bytes.length; o += reused.length) {
      const n = bytes.copy(reused, 0, o, o + reused.length);
      parser.push(reused.subarray(0, n));
      reused.fill(0xee);
    }
    expect(parser.end()).toBeUndefined();
    expect(got).toEqual(input.map((f) => [...f.data]));
  });

  it.each([
    ['little-endian µs', { littleEndian: true, nanoseconds: false }],
    ['big-endian µs', { littleEndian: false, nanoseconds: false }],
    ['little-endian ns', { littleEndian: true, nanoseconds: true }],
    ['big-endian ns', { littleEndian: false, nanoseconds: true }],
  ])('reads pcap %s', (_, opts) => {
    const { frames: got, error, format } = collect(writePcap(input, { linkType: LINKTYPE.ETHERNET, ...opts }));
    expect(error).toBeUndefined();
    expect(format).toBe('pcap');
    expect(got.map((f) => f.timeUs)).toEqual(input.map((f) => f.timeUs));
    expect(got[3].data).toEqual(input[3].data);
    expect(got[3].wireLength).toBe(1500);
    expect(got[0].linkType).toBe(LINKTYPE.ETHERNET);
  });

  it.each([true, false])(
    'reads pcapng (little-endian %s) with per-interface link type, name and clock',
    (littleEndian) => {
      const records = input.map((f, i) => ({ ...f, interfaceId: i % 2 }));
      const bytes = writePcapng(
        [
          { linkType: LINKTYPE.ETHERNET, name: 'eth0' },
          { linkType: LINKTYPE.LINUX_SLL2, name: 'any', tsresol: 9 },
        ],
        records,
        { littleEndian }
      );
      const { frames: got, error, format } = collect(bytes);
      expect(error).toBeUndefined();
      expect(format).toBe('pcapng');
      expect(got.map((f) => f.timeUs)).toEqual(input.map((f) => f.timeUs));
      expect(got.map((f) => f.ifName)).toEqual(records.map((r) => (r.interfaceId === 0 ? 'eth0' : 'any')));
      expect(got[1].linkType).toBe(LINKTYPE.LINUX_SLL2);
      expect(got[4].data).toEqual(input[4].data);
    }
  );

  it('reads pcapng simple packet blocks, cut to the interface snap length', () => {
    const bytes = writePcapng([{ linkType: LINKTYPE.RAW, snapLength: 22 }], input, { simplePackets: true });
    const { frames: got, error } = collect(bytes);
    expect(error).toBeUndefined();
    expect(got).toHaveLength(input.length);
    expect(got[6].data).toEqual(input[6].data.subarray(0, 22));
    expect(got[6].wireLength).toBe(1500);
  });

  it('reads a pcapng clock in 2^-n units', () => {
    const bytes = writePcapng([{ linkType: LINKTYPE.RAW, tsresol: 0x80 | 20 }], input.slice(0, 2));
    const { frames: got } = collect(bytes);
    // 2^-20 s ticks round to within a microsecond.
    expect(Math.abs(got[1].timeUs - input[1].timeUs)).toBeLessThanOrEqual(1);
  });

  it('yields the same frames whatever the chunk boundaries', () => {
    const pcap = writePcap(input, { linkType: LINKTYPE.ETHERNET });
    const pcapng = writePcapng([{ linkType: LINKTYPE.ETHERNET }], input);
    for (const bytes of [pcap, pcapng]) {
      const whole = collect(bytes).frames;
      for (const size of [1, 2, 3, 5, 7, 13, 16, 17, 31, 64]) {
        const split = collect(bytes, size);
        expect(split.error).toBeUndefined();
        expect(split.frames.map((f) => [f.timeUs, Array.from(f.data)])).toEqual(
          whole.map((f) => [f.timeUs, Array.from(f.data)])
        );
      }
    }
  });

  it('reports where a truncated pcap was cut and keeps every packet before it', () => {
    const bytes = writePcap(input, { linkType: LINKTYPE.ETHERNET });
    const cut = bytes.subarray(0, bytes.length - 5);
    const got: CapturedFrame[] = [];
    const result = readCaptureBuffer(cut, (f) => got.push(f));
    expect(got).toHaveLength(input.length - 1);
    expect(result.error).toBeInstanceOf(CaptureTruncatedError);
    expect(result.error?.message).toMatch(/truncated at byte \d+: cut inside record #9/);
    expect((result.error as CaptureTruncatedError).framesBeforeCut).toBe(8);
  });

  it('reports a pcapng cut inside a block header', () => {
    const bytes = writePcapng([{ linkType: LINKTYPE.ETHERNET }], input);
    const lastBlock = 32 + input[8].data.length + ((4 - (input[8].data.length % 4)) % 4);
    const result = collect(bytes.subarray(0, bytes.length - lastBlock + 6), 10);
    expect(result.frames).toHaveLength(8);
    expect(result.error?.message).toMatch(/cut inside a block header \(6 of 12 bytes\) after packet #8/);
  });

  it('names a file that is not a capture', () => {
    const result = collect(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(result.error?.message).toMatch(/not a pcap or pcapng capture: starts with 0x47455420/);
    expect(collect(new Uint8Array(0)).error?.message).toMatch(/empty/);
  });

  it('stops at a record whose length is impossible and keeps what came before', () => {
    const bytes = writePcap(input, { linkType: LINKTYPE.ETHERNET });
    const third = 24 + (16 + input[0].data.length) + (16 + input[1].data.length);
    new DataView(bytes.buffer).setUint32(third + 8, 0x7fffffff, true);
    const result = collect(bytes);
    expect(result.frames).toHaveLength(2);
    expect(result.error?.message).toMatch(/record #3 at byte \d+ claims 2147483647 captured bytes/);
  });
});
