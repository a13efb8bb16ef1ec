// The built backend executable for this machine, rebuilt (this platform only) when missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const BACKEND_EXECUTABLE = resolve('dist/datasource/gpx_wiretrace_linux_amd64');

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  dirs.filter((d) => existsSync(d)).forEach(walk);
  return newest;
}

export function ensureBackendExecutable(log: (m: string) => void): string {
  const built = existsSync(BACKEND_EXECUTABLE) ? statSync(BACKEND_EXECUTABLE).mtimeMs : 0;
  if (newestSource(['backend', 'model']) > built) {
    log('building the backend executable for linux_amd64 (missing or older than backend/ and model/ sources)');
    execFileSync(process.execPath, ['scripts/build-backend.mjs', '--platforms=linux_amd64'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  return BACKEND_EXECUTABLE;
}
