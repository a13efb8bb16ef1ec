// Runs every bench/*.bench.ts as its own Node 24 process and prints one JSON line per result (--json) or a table.
// A bench prints lines of the form {"bench","unit","ours","peer","peerValue"} on stdout; anything else goes to stderr.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const filter = args.find((a) => !a.startsWith('--'));
const outDir = 'build/bench';
mkdirSync(outDir, { recursive: true });

const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();

const lines = [];
let failures = 0;
for (const file of files) {
  const outfile = join(outDir, basename(file, '.ts') + '.cjs');
  await build({
    entryPoints: [join('bench', file)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    external: ['@duckdb/node-api', '@duckdb/node-bindings*'],
  });
  const child = spawnSync(process.execPath, ['--expose-gc', outfile], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    failures++;
    console.error(`bench ${file} exited with ${child.status}`);
  }
  for (const line of child.stdout.split('\n')) {
    if (line.startsWith('{"bench"')) {
      lines.push(JSON.parse(line));
    } else if (line.trim()) {
      console.error(line);
    }
  }
}

if (json) {
  for (const line of lines) {
    console.log(JSON.stringify(line));
  }
} else {
  console.log(`${'bench'.padEnd(44)} ${'unit'.padEnd(7)} ${'ours'.padStart(14)}  peer`);
  for (const l of lines) {
    const peer = l.peer ? `${l.peer}: ${l.peerValue}` : '-';
    console.log(`${l.bench.padEnd(44)} ${l.unit.padEnd(7)} ${String(l.ours).padStart(14)}  ${peer}`);
  }
}
process.exit(failures > 0 ? 1 : 0);
