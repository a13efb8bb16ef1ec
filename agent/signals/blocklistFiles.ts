// The configured blocklist files as one set of blocks, read at start and read again when a file changes (checked
// every reloadMs by its size, modification time and inode, so a replaced ConfigMap file counts). A file that cannot
// be read at start is a configuration error; later, the last good version stays in use and the failure is logged.
import { readFileSync, statSync } from 'node:fs';
import { type BlocklistEntry, describeProblem, MAX_REPORTED_PROBLEMS, parseBlocklist } from './blocklist';
import { CidrSet, parseAddress } from './cidr';

// A blocklist is data, not a database: past this a file is refused rather than held in memory.
export const MAX_BLOCKLIST_BYTES = 64 * 1024 * 1024;

interface FileState {
  path: string;
  stamp: string;
  entries: BlocklistEntry[];
  malformedLines: number;
}

export interface BlocklistStats {
  entries: number;
  malformedLines: number;
  reloads: number;
  reloadFailures: number;
}

export class BlocklistError extends Error {}

export class BlocklistFiles {
  private readonly files: FileState[];
  private set = new CidrSet<BlocklistEntry>();
  private timer: NodeJS.Timeout | undefined;
  readonly stats: BlocklistStats = { entries: 0, malformedLines: 0, reloads: 0, reloadFailures: 0 };

  // Throws BlocklistError naming the file when one cannot be read.
  constructor(
    paths: string[],
    private readonly log: (level: 'info' | 'error', message: string) => void
  ) {
    this.files = paths.map((path) => {
      const loaded = this.load(path);
      if (typeof loaded === 'string') {
        throw new BlocklistError(loaded);
      }
      return loaded;
    });
    this.rebuild();
  }

  match(ip: string): BlocklistEntry | undefined {
    if (this.set.size === 0) {
      return undefined;
    }
    const address = parseAddress(ip);
    return address && this.set.match(address);
  }

  start(reloadMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.reloadChanged(), reloadMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  // Reads again every file whose stamp changed; true when the set changed.
  reloadChanged(): boolean {
    let changed = false;
    for (let i = 0; i < this.files.length; i++) {
      const old = this.files[i];
      const stamp = stampOf(old.path);
      if (stamp === old.stamp) {
        continue;
      }
      const loaded = this.load(old.path);
      if (typeof loaded === 'string') {
        this.stats.reloadFailures++;
        // Logged once per change of the file's state, then quiet until it changes again.
        old.stamp = stamp;
        this.log('error', `${loaded}; the previous version stays in use`);
        continue;
      }
      this.files[i] = loaded;
      this.stats.reloads++;
      changed = true;
      this.log('info', `blocklist ${old.path} reloaded: ${loaded.entries.length} entries`);
    }
    if (changed) {
      this.rebuild();
    }
    return changed;
  }

  private load(path: string): FileState | string {
    let text: string;
    let stamp: string;
    try {
      stamp = stampOf(path);
      const size = statSync(path).size;
      if (size > MAX_BLOCKLIST_BYTES) {
        return `blocklist ${path} is ${size} bytes, over the limit of ${MAX_BLOCKLIST_BYTES}`;
      }
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return `cannot read blocklist ${path}: ${(err as Error).message}`;
    }
    const parsed = parseBlocklist(text, path);
    for (const problem of parsed.problems) {
      this.log('error', describeProblem(problem));
    }
    if (parsed.malformedLines > MAX_REPORTED_PROBLEMS) {
      this.log(
        'error',
        `blocklist ${path}: ${parsed.malformedLines - MAX_REPORTED_PROBLEMS} more malformed lines skipped`
      );
    }
    return { path, stamp, entries: parsed.entries, malformedLines: parsed.malformedLines };
  }

  private rebuild(): void {
    const set = new CidrSet<BlocklistEntry>();
    let malformed = 0;
    for (const file of this.files) {
      for (const entry of file.entries) {
        set.add(entry.cidr, entry);
      }
      malformed += file.malformedLines;
    }
    this.set = set;
    this.stats.entries = set.size;
    this.stats.malformedLines = malformed;
  }
}

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
