// Runs every test tier in order and says plainly which ran, which were skipped and why.
// A tier is a module in tests/tiers/ exporting { name, order, skipReason(), run() }; run() returns { passed, failed }.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startPeerBuilds } from './peers/index.mjs';

// The peers' Go builds take minutes: they run in the background, at low priority, while the first tiers run.
const peerBuilds = startPeerBuilds();
if (peerBuilds.pid !== null) {
  console.log(`building test peers in the background (${peerBuilds.missing.join(', ')}; logs in build/peers/)`);
}

const only = process.env.WIRETRACE_TIERS ? new Set(process.env.WIRETRACE_TIERS.split(',')) : null;
const dir = resolve('tests/tiers');
const tiers = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs'))) {
  tiers.push((await import(pathToFileURL(join(dir, file)).href)).default);
}
tiers.sort((a, b) => a.order - b.order);

const results = [];
for (const tier of tiers) {
  if (only && !only.has(tier.name)) {
    results.push({ name: tier.name, status: 'skipped', reason: 'not in WIRETRACE_TIERS' });
    continue;
  }
  const reason = await tier.skipReason();
  if (reason) {
    console.log(`\n== tier ${tier.name}: SKIPPED (${reason})`);
    results.push({ name: tier.name, status: 'skipped', reason });
    continue;
  }
  console.log(`\n== tier ${tier.name}: running`);
  const started = Date.now();
  let outcome;
  try {
    outcome = await tier.run();
  } catch (err) {
    console.error(`tier ${tier.name} crashed: ${err instanceof Error ? err.stack : err}`);
    outcome = { passed: 0, failed: 1 };
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // A tier that executed nothing tested nothing: that is a failure, never a pass.
  const empty = outcome.passed + outcome.failed === 0;
  if (empty) {
    console.error(`tier ${tier.name} FAILED: it ran no tests`);
  }
  const status = outcome.failed > 0 || empty ? 'failed' : 'passed';
  results.push({ name: tier.name, status, seconds, empty, ...outcome });
}

console.log('\n== tiers');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  if (r.status === 'skipped') {
    skipped++;
    console.log(`  ${r.name.padEnd(14)} skipped: ${r.reason}`);
  } else {
    passed += r.passed;
    failed += r.failed + (r.empty ? 1 : 0);
    const nothing = r.empty ? ' — no tests ran' : '';
    console.log(`  ${r.name.padEnd(14)} ${r.status}: ${r.passed} passed, ${r.failed} failed${nothing} (${r.seconds}s)`);
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
