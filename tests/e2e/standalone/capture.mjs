// Screenshots of the datasource editors rendered outside Grafana (editors.tsx), with Debian's Chromium.
// Usage: node tests/e2e/standalone/capture.mjs [outDir]   (default src/img/screenshots)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';

const outDir = resolve(process.argv[2] ?? 'src/img/screenshots');
const work = mkdtempSync(join(tmpdir(), 'wiretrace-editors-'));
await build({
  entryPoints: [resolve('tests/e2e/standalone/editors.tsx')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  outfile: join(work, 'editors.js'),
  define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty' },
  logLevel: 'error',
});
writeFileSync(
  join(work, 'index.html'),
  // The few global rules Grafana's own page provides (box sizing, bare fieldsets) that components rely on.
  '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="editors.css">' +
    '<style>*,*::before,*::after{box-sizing:border-box}fieldset{border:0;padding:0;margin:0 0 16px}' +
    'legend{font-size:20px;margin-bottom:12px}input,button,textarea{font:inherit}</style></head>' +
    '<body style="margin:0"><div id="root"></div><script src="editors.js"></script></body></html>'
);

const views = [
  { view: 'config', file: 'config-editor.png', height: 1700 },
  { view: 'query-drops', file: 'query-editor-drops.png', height: 200 },
  { view: 'query-trace', file: 'query-editor-trace-network.png', height: 160 },
  { view: 'query-flows', file: 'query-editor-flows.png', height: 200 },
  { view: 'help', file: 'query-editor-help.png', height: 620 },
];

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  for (const { view, file, height } of views) {
    await page.setViewportSize({ width: 1200, height });
    await page.goto(`file://${join(work, 'index.html')}?view=${view}`);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, file), fullPage: true });
    console.log(`${file}`);
  }
  if (errors.length > 0) {
    throw new Error(`the page reported errors: ${errors.join('; ')}`);
  }
} finally {
  await browser.close();
}
