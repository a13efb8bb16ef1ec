import { applicationData, tlsRecord } from '../../testkit/tlsRecords';
import { TlsRecordStream, type TlsRecord } from './recordStream';

function read(chunks: Array<[Uint8Array, number]>): { records: TlsRecord[]; stream: TlsRecordStream } {
  const records: TlsRecord[] = [];
  const stream = new TlsRecordStream((r) => records.push(r));
  chunks.forEach(([bytes, t]) => stream.push(bytes, t));
  return { records, stream };
}

describe('TlsRecordStream', () => {
  it('times each record from the segment of its first byte to the one that completed it', () => {
    const big = applicationData(3000);
    const { records } = read([
      [Buffer.concat([applicationData(40), big.subarray(0, 3)]), 10],
      [big.subarray(3, 1000), 20],
      [big.subarray(1000), 30],
    ]);
    expect(records).toEqual([
      { contentType: 23, length: 40, startUs: 10, endUs: 10, head: [0xab, 0xab] },
      { contentType: 23, length: 3000, startUs: 10, endUs: 30, head: [0xab, 0xab] },
    ]);
  });

  it('reads an alert\'s level and description even when they arrive in two segments', () => {
    const alert = tlsRecord(21, Uint8Array.from([2, 40]));
    const { records } = read([
      [alert.subarray(0, 6), 1],
      [alert.subarray(6), 2],
    ]);
    expect(records).toEqual([{ contentType: 21, length: 2, startUs: 1, endUs: 2, head: [2, 40] }]);
  });

  it.each([
    ['an unknown content type', Uint8Array.from([0x47, 0x45, 0x54, 0x20, 0x2f, 0x20])],
    ['a zero-length record', Uint8Array.from([23, 3, 3, 0, 0])],
    ['a record longer than TLS allows', Uint8Array.from([23, 3, 3, 0xff, 0xff])],
    ['a version that is not 3.x', Uint8Array.from([23, 9, 3, 0, 5])],
  ])('marks the stream broken on %s and reads nothing more, without throwing', (_what, bytes) => {
    const { records, stream } = read([
      [bytes, 1],
      [applicationData(10), 2],
    ]);
    expect(stream.broken).toBeDefined();
    expect(records).toEqual([]);
  });

  it('survives random bytes in random chunks', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let run = 0; run < 200; run++) {
      const stream = new TlsRecordStream(() => undefined);
      for (let i = 0; i < 5; i++) {
        const bytes = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
        expect(() => stream.push(bytes, i)).not.toThrow();
      }
    }
  });

  it('stops at a capture gap: record boundaries are unknown past it', () => {
    const records: TlsRecord[] = [];
    const stream = new TlsRecordStream((r) => records.push(r));
    stream.gap();
    stream.push(applicationData(10), 1);
    expect(stream.broken).toBe('bytes missing from the capture');
    expect(records).toEqual([]);
  });
});
