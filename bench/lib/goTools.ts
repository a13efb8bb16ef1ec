// The Go programs of the benchmarks live in the conformance module (it already builds against
// grafana-plugin-sdk-go); built once per run into the machine's cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const CONFORMANCE_DIR = resolve('tests/conformance');
const CACHE_DIR = join(homedir(), '.cache', 'wiretrace');

export function buildGoCommand(name: string): string {
  const output = join(CACHE_DIR, 'bin', name);
  mkdirSync(join(CACHE_DIR, 'bin'), { recursive: true });
  try {
    execFileSync('go', ['build', '-o', output, `./cmd/${name}`], {
      cwd: CONFORMANCE_DIR,
      env: { ...process.env, GOCACHE: join(CACHE_DIR, 'go-build'), GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (err) {
    throw new Error(`go build ./cmd/${name} in tests/conformance failed (is go installed?): ${(err as Error).message}`);
  }
  return output;
}
