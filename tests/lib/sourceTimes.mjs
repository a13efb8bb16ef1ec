// When the sources of a build last changed: tiers rebuild an executable only when it is older than them.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time (ms) of the non-test .ts files below the given folders; 0 when there are none. */
export function newestSourceMs(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  dirs.filter((dir) => existsSync(dir)).forEach(walk);
  return newest;
}
