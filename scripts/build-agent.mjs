// Bundles the capture agent into one CommonJS file run by Node 24 (the `wiretrace-agent` bin).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const outfile = 'build/agent/wiretrace-agent.cjs';
await build({
  entryPoints: ['agent/main.ts'],
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  outfile,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync(outfile, 0o755);
console.log(`agent: ${outfile}`);
