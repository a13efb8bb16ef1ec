// The e2e specs in tests/e2e/ (@grafana/plugin-e2e + Playwright) on Debian's Chromium, against a running Grafana:
// GRAFANA_URL when it answers, otherwise the local stack's Grafana when one is installed.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { run } from '../lib/process.mjs';
import { stackDown, stackUp } from '../../scripts/stack/stackControl.mjs';
import { GRAFANA_URL, grafanaUnavailableReason } from '../../scripts/stack/grafana.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REPORT = 'build/e2e-report.json';

async function answers(url) {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

export default {
  name: 'browser',
  order: 70,
  async skipReason() {
    if (!existsSync(CHROMIUM)) {
      return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
    }
    if (process.env.GRAFANA_URL) {
      return (await answers(process.env.GRAFANA_URL)) ? null : `GRAFANA_URL=${process.env.GRAFANA_URL} does not answer`;
    }
    const reason = grafanaUnavailableReason();
    return reason ? `Grafana cannot run here: ${reason}` : null;
  },
  async run() {
    let startedHere = [];
    const env = { ...process.env };
    if (!process.env.GRAFANA_URL) {
      const state = await stackUp({ log: (line) => console.log(`[stack] ${line}`) });
      startedHere = state.servers.filter((s) => s.startedNow).map((s) => s.name);
      env.GRAFANA_URL = GRAFANA_URL;
    }
    try {
      mkdirSync('build', { recursive: true });
      rmSync(REPORT, { force: true });
      const code = await run('npx', ['playwright', 'test'], { env });
      return playwrightCounts(code);
    } finally {
      if (startedHere.length > 0) {
        await stackDown(startedHere);
      }
    }
  },
};

function playwrightCounts(code) {
  try {
    const { stats } = JSON.parse(readFileSync(REPORT, 'utf8'));
    const failed = stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0);
    return { passed: stats.expected + stats.flaky, failed: failed + (stats.expected + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
