// Builds the backend datasource into one Node single-executable application Grafana can start.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const outDir = 'build/backend';
const executable = 'dist/datasource/gpx_wiretrace_linux_amd64';
mkdirSync(outDir, { recursive: true });
mkdirSync('dist/datasource', { recursive: true });

await build({
  entryPoints: ['backend/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile: join(outDir, 'backend.cjs'),
  logLevel: 'warning',
  legalComments: 'none',
});

const seaConfig = {
  main: join(outDir, 'backend.cjs'),
  output: join(outDir, 'sea-prep.blob'),
  disableExperimentalSEAWarning: true,
  useCodeCache: true,
  // V8 flags the executable always runs with (a young generation big enough for a query's parse garbage);
  // bench/querydata-drops.bench.ts measures with the same list.
  execArgv: JSON.parse(readFileSync('backend/runtimeFlags.json', 'utf8')),
};
writeFileSync(join(outDir, 'sea-config.json'), JSON.stringify(seaConfig, null, 2));
// process.execPath is the Node 24 binary from the node@24 devDependency when run through npm scripts.
execFileSync(process.execPath, ['--experimental-sea-config', join(outDir, 'sea-config.json')], { stdio: 'inherit' });
// A running copy (Grafana, a test host) keeps its inode; overwriting it in place fails with ETXTBSY.
rmSync(executable, { force: true });
copyFileSync(process.execPath, executable);
chmodSync(executable, 0o755);
execFileSync(
  process.execPath,
  [
    'node_modules/postject/dist/cli.js',
    executable,
    'NODE_SEA_BLOB',
    seaConfig.output,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] }
);
const mb = statSync(executable).size / 1e6;
console.log(`backend: ${executable} (${mb.toFixed(1)} MB, Node ${process.versions.node})`);
