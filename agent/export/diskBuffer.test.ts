import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskExportBuffer } from './diskBuffer';

describe('DiskExportBuffer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wiretrace-disk-buffer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const segments = () =>
    readdirSync(dir)
      .filter((f) => f.startsWith('segment-'))
      .sort();

  it('rotates segments, deletes delivered ones, and resumes after the last acknowledgement', () => {
    const first = new DiskExportBuffer<{ n: number; pad: string }>(dir, 1 << 20, 200);
    for (let n = 0; n < 20; n++) {
      expect(first.append({ n, pad: 'x'.repeat(40) })).toBe(true);
    }
    expect(segments().length).toBeGreaterThan(3);
    const before = segments().length;
    expect(first.peek(7).map((e) => e.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    first.ack(7);
    expect(segments().length).toBeLessThan(before);
    first.close();

    const second = new DiskExportBuffer<{ n: number; pad: string }>(dir, 1 << 20, 200);
    expect(second.length).toBe(13);
    expect(second.peek(100).map((e) => e.n)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    second.append({ n: 20, pad: '' });
    second.ack(13);
    second.close();

    const third = new DiskExportBuffer<{ n: number; pad: string }>(dir, 1 << 20, 200);
    expect(third.peek(100).map((e) => e.n)).toEqual([20]);
    third.ack(1);
    third.close();
    expect(segments()).toEqual([]);
  });

  it('skips a line cut by a crash and keeps the rest', () => {
    const buffer = new DiskExportBuffer<{ n: number }>(dir, 1 << 20);
    buffer.append({ n: 1 });
    buffer.append({ n: 2 });
    buffer.close();
    appendFileSync(join(dir, segments()[0]), '{"n":');
    const reloaded = new DiskExportBuffer<{ n: number }>(dir, 1 << 20);
    expect(reloaded.peek(10)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(reloaded.stats).toEqual({ corruptOnLoad: 1, loadedOnStart: 2 });
    reloaded.close();
  });

  it('refuses entries beyond its byte bound', () => {
    const buffer = new DiskExportBuffer<string>(dir, 50);
    expect(buffer.append('a'.repeat(30))).toBe(true);
    expect(buffer.append('b'.repeat(30))).toBe(false);
    expect(buffer.length).toBe(1);
    buffer.close();
  });
});
