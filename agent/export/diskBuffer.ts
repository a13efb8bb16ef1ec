/**
 * An ExportBuffer that survives restarts: entries are appended as JSON lines to segment files in a directory,
 * mirrored in memory (the bound applies to both), and a segment file is deleted once all its entries are
 * acknowledged. `cursor.json` records how many entries of the oldest segment were already delivered, so a
 * restart resends nothing it had delivered before the last acknowledgement was written.
 */
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { ExportBuffer } from './exportBuffer';

interface DiskEntry<T> {
  entry: T;
  bytes: number;
  segment: number;
}

const SEGMENT = /^segment-(\d+)\.jsonl$/;

function segmentName(id: number): string {
  return `segment-${String(id).padStart(12, '0')}.jsonl`;
}

export interface DiskBufferStats {
  // Lines found on disk at start that could not be parsed.
  corruptOnLoad: number;
  loadedOnStart: number;
}

export class DiskExportBuffer<T> implements ExportBuffer<T> {
  readonly stats: DiskBufferStats = { corruptOnLoad: 0, loadedOnStart: 0 };
  private readonly queue: Array<DiskEntry<T>> = [];
  private head = 0;
  private total = 0;
  private activeSegment = 0;
  private activeFd: number | undefined;
  private activeBytes = 0;
  // Entries of the oldest remaining segment already acknowledged.
  private ackedInFront = 0;
  private readonly segmentBytes: number;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    segmentBytes?: number
  ) {
    this.segmentBytes = segmentBytes ?? Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(maxBytes / 8)));
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  get bytes(): number {
    return this.total;
  }

  append(entry: T): boolean {
    const line = `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.total + bytes > this.maxBytes) {
      return false;
    }
    if (this.activeFd === undefined || this.activeBytes + bytes > this.segmentBytes) {
      this.rotate();
    }
    writeSync(this.activeFd as number, line);
    this.activeBytes += bytes;
    this.queue.push({ entry, bytes, segment: this.activeSegment });
    this.total += bytes;
    return true;
  }

  peek(max: number): T[] {
    return this.queue.slice(this.head, this.head + max).map((e) => e.entry);
  }

  ack(count: number): void {
    const end = Math.min(this.queue.length, this.head + count);
    if (end === this.head) {
      return;
    }
    for (let i = this.head; i < end; i++) {
      const current = this.queue[i];
      this.total -= current.bytes;
      const next = this.queue[i + 1];
      if (next && next.segment === current.segment) {
        this.ackedInFront++;
        continue;
      }
      // The last entry of its segment: the whole file is delivered.
      this.ackedInFront = 0;
      if (current.segment === this.activeSegment && this.activeFd !== undefined) {
        closeSync(this.activeFd);
        this.activeFd = undefined;
      }
      this.unlinkSegment(current.segment);
    }
    this.head = end;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.writeCursor();
  }

  close(): void {
    if (this.activeFd !== undefined) {
      closeSync(this.activeFd);
      this.activeFd = undefined;
    }
  }

  private frontSegment(): number | undefined {
    return this.queue[this.head]?.segment;
  }

  private writeCursor(): void {
    const front = this.frontSegment();
    const cursor = join(this.dir, 'cursor.json');
    const tmp = `${cursor}.tmp`;
    writeFileSync(tmp, JSON.stringify({ segment: front ?? 0, acked: front === undefined ? 0 : this.ackedInFront }));
    renameSync(tmp, cursor);
  }

  private rotate(): void {
    if (this.activeFd !== undefined) {
      closeSync(this.activeFd);
    }
    this.activeSegment++;
    this.activeFd = openSync(join(this.dir, segmentName(this.activeSegment)), 'a');
    this.activeBytes = 0;
  }

  private unlinkSegment(id: number): void {
    try {
      unlinkSync(join(this.dir, segmentName(id)));
    } catch {
      // Already gone: nothing to free.
    }
  }

  private readCursor(): { segment: number; acked: number } {
    try {
      const parsed = JSON.parse(readFileSync(join(this.dir, 'cursor.json'), 'utf8')) as {
        segment?: unknown;
        acked?: unknown;
      };
      return {
        segment: typeof parsed.segment === 'number' ? parsed.segment : 0,
        acked: typeof parsed.acked === 'number' ? parsed.acked : 0,
      };
    } catch {
      return { segment: 0, acked: 0 };
    }
  }

  private load(): void {
    const cursor = this.readCursor();
    const ids = readdirSync(this.dir)
      .map((name) => SEGMENT.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const id of ids) {
      this.activeSegment = Math.max(this.activeSegment, id);
      if (id < cursor.segment) {
        this.unlinkSegment(id);
        continue;
      }
      const lines = readFileSync(join(this.dir, segmentName(id)), 'utf8').split('\n');
      let skip = id === cursor.segment ? cursor.acked : 0;
      for (const line of lines) {
        if (!line) {
          continue;
        }
        let entry: T;
        try {
          entry = JSON.parse(line) as T;
        } catch {
          // A line cut by a crash mid-write.
          this.stats.corruptOnLoad++;
          continue;
        }
        if (skip > 0) {
          skip--;
          continue;
        }
        const bytes = Buffer.byteLength(line) + 1;
        this.queue.push({ entry, bytes, segment: id });
        this.total += bytes;
        this.stats.loadedOnStart++;
      }
    }
    // Loaded entries keep their segments; new ones start a fresh segment.
    this.ackedInFront = this.frontSegment() === cursor.segment ? cursor.acked : 0;
    this.writeCursor();
  }
}
