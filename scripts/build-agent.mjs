// Bundles the capture agent into one CommonJS file run by Node 24 (the `wiretrace-agent` bin).
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const outfile = 'build/agent/wiretrace-agent.cjs';
// The agent's V8 flags: a small young generation keeps the packet path's short-lived garbage in cache and the
// resident size low (the pipeline benchmark measures under the same flags, the image's entrypoint passes them).
const runtimeFlags = JSON.parse(readFileSync('agent/runtimeFlags.json', 'utf8'));

// Runs before any bundled module: on an older Node, re-run under the project's Node 24 if there is one, else say why.
const nodeVersionGuard = `if (Number(process.versions.node.split('.')[0]) < 22) {
  const { existsSync } = require('node:fs');
  const { join } = require('node:path');
  const node24 = join(__dirname, '..', '..', 'node_modules', 'node', 'bin', 'node');
  if (existsSync(node24)) {
    const r = require('node:child_process').spawnSync(node24, [...${JSON.stringify(runtimeFlags)}, __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(r.status === null ? 1 : r.status);
  }
  process.stderr.write('wiretrace-agent needs Node.js 24 (this is ' + process.version + ')\\n');
  process.exit(1);
}`;
await build({
  entryPoints: ['agent/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile,
  banner: { js: `#!/usr/bin/env -S node ${runtimeFlags.join(' ')}\n${nodeVersionGuard}` },
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync(outfile, 0o755);
console.log(`agent: ${outfile}`);
