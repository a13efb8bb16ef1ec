// Files the agent reads whole (cluster files, captures): a regular file of bounded size, or a clear refusal.
// A FIFO nobody writes would block forever and /dev/zero would never end; neither is read unless asked for.
import { statSync, type Stats } from 'node:fs';

export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) {
    return 'a directory';
  }
  if (info.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (info.isCharacterDevice()) {
    return 'a character device';
  }
  if (info.isBlockDevice()) {
    return 'a block device';
  }
  if (info.isSocket()) {
    return 'a socket';
  }
  return 'not a regular file';
}

function statInput(path: string, what: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
}

// A regular file no larger than maxBytes; returns its size.
export function checkRegularFile(path: string, what: string, maxBytes: number, hint = ''): number {
  const info = statInput(path, what);
  if (!info.isFile()) {
    throw new InputFileError(`${what} ${path} is ${kindOf(info)}, not a regular file${hint}`);
  }
  if (info.size > maxBytes) {
    throw new InputFileError(
      `${what} ${path} is ${info.size} bytes, over the limit of ${maxBytes} (${Math.round(maxBytes / 2 ** 20)} MiB)`
    );
  }
  return info.size;
}

// A stream (FIFO, device) is accepted only when the caller asked to stream; a directory never.
export function checkReadable(path: string, what: string, streaming: boolean, hint = ''): void {
  const info = statInput(path, what);
  if (info.isFile() || (streaming && !info.isDirectory())) {
    return;
  }
  throw new InputFileError(`${what} ${path} is ${kindOf(info)}, not a regular file${streaming ? '' : hint}`);
}
