// Packs dist/ into the release zip Grafana's plugin install expects: one wiretrace-correlation-app/ folder holding
// the app, the nested datasource and the backend executable of every platform.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BACKEND_TARGETS } from './backend/targets.mjs';
import { writeZip } from './backend/zipArchive.mjs';

const DIST = 'dist';
const allowMissing = process.argv.includes('--allow-missing');

if (!existsSync(join(DIST, 'plugin.json'))) {
  console.error('package: dist/plugin.json is missing: run npm run build:frontend first');
  process.exit(1);
}
const plugin = JSON.parse(readFileSync(join(DIST, 'plugin.json'), 'utf8'));
const missing = BACKEND_TARGETS.filter((t) => !existsSync(join(DIST, 'datasource', t.executable)));
if (missing.length > 0) {
  console.error(
    `package: no backend executable for ${missing.map((t) => t.platform).join(', ')} (see npm run build:backend)`
  );
  if (!allowMissing) {
    console.error('package: a release holds every platform; --allow-missing packs without them');
    process.exit(1);
  }
}

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path);
    } else if (!entry.name.endsWith('.map') && !entry.name.endsWith('.partial')) {
      // Source maps stay out of the release; a staged executable is a build in progress.
      files.push(path);
    }
  }
};
walk(DIST);
files.sort();

mkdirSync('artifacts', { recursive: true });
const output = join('artifacts', `${plugin.id}-${plugin.info.version}.zip`);
const started = performance.now();
writeZip(
  output,
  files.map((path) => ({ path, name: `${plugin.id}/${relative(DIST, path).split('\\').join('/')}` }))
);
const sha256 = createHash('sha256').update(readFileSync(output)).digest('hex');
writeFileSync(`${output}.sha256`, `${sha256}  ${plugin.id}-${plugin.info.version}.zip\n`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `package: ${output} (${(statSync(output).size / 1e6).toFixed(1)} MB, ${files.length} files, ${seconds} s), sha256 ${sha256}`
);
