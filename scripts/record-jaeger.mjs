// Re-records the contract-test bodies of the real Jaeger: starts the cached peer in memory on loopback, sends it the
// checkout spans over OTLP, and writes its HTTP and gRPC answers to backend/queries/testdata/. Usage:
//   node scripts/record-jaeger.mjs [path/to/jaeger]   (default: the cached test peer)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PEERS, peerBinary } from './peers/index.mjs';

const binary = process.argv[2] ?? peerBinary('jaeger');
if (!existsSync(binary)) {
  console.error(`no Jaeger binary at ${binary}: build the test peer first (npm test starts the peer builds)`);
  process.exit(1);
}
const outDir = 'build/record-jaeger';
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'recordJaeger.cjs');
await build({
  entryPoints: ['backend/testkit/jaeger/recordJaeger.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
});
const version = PEERS.get('jaeger').version;
const run = spawnSync(process.execPath, [outfile, binary, version, 'backend/queries/testdata'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
