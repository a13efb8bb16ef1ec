// The browser tier on Debian's Chromium. With a Grafana (GRAFANA_URL when it answers, or the local stack's Grafana
// when one is installed): the @grafana/plugin-e2e specs in tests/e2e/. Without one: the host specs in
// tests/host/specs/ — the built plugin loaded as Grafana loads it, the backend executable behind the Go front, and
// a live incident on the network-namespace harness (agent, instrumented frontend, Jaeger, VictoriaLogs).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, isRoot, run } from '../lib/process.mjs';
import { stackDown, stackUp } from '../../scripts/stack/stackControl.mjs';
import { GRAFANA_URL, grafanaUnavailableReason } from '../../scripts/stack/grafana.mjs';
import { newestSourceMs } from '../lib/sourceTimes.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const REPORT = 'build/e2e-report.json';
const HOST_SERVERS_FILE = 'build/host/servers.json';
const BACKEND_EXECUTABLE = 'dist/datasource/gpx_wiretrace_linux_amd64';

async function answers(url) {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

// Null when the host specs can run here: their incident needs network namespaces, iptables and tcpdump.
function hostSkipReason() {
  if (!isRoot()) {
    return 'no Grafana, and the host specs need root for their network-namespace incident';
  }
  for (const tool of ['ip', 'iptables', 'tcpdump', 'nsenter', 'go', 'etcd', 'openssl', 'unshare']) {
    if (!hasCommand(tool)) {
      return `no Grafana, and the host specs need ${tool}`;
    }
  }
  return null;
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
    return grafanaUnavailableReason() === null ? null : hostSkipReason();
  },
  async run() {
    mkdirSync('build', { recursive: true });
    rmSync(REPORT, { force: true });
    if (process.env.GRAFANA_URL || grafanaUnavailableReason() === null) {
      return runGrafanaSpecs();
    }
    return runHostSpecs();
  },
};

async function runGrafanaSpecs() {
  let startedHere = [];
  const env = { ...process.env };
  if (!process.env.GRAFANA_URL) {
    const state = await stackUp({ log: (line) => console.log(`[stack] ${line}`) });
    startedHere = state.servers.filter((s) => s.startedNow).map((s) => s.name);
    env.GRAFANA_URL = GRAFANA_URL;
  }
  try {
    const code = await run('npx', ['playwright', 'test'], { env });
    return playwrightCounts(code);
  } finally {
    if (startedHere.length > 0) {
      await stackDown(startedHere);
    }
  }
}

// What the host loads, built from the working tree: the plugin's frontend, the backend executable (when its
// sources changed), the agent bundle and the host page. A failed build fails the tier.
async function buildForHost() {
  const steps = [['npm', ['run', '--silent', 'build:frontend']]];
  const builtMs = existsSync(BACKEND_EXECUTABLE) ? statSync(BACKEND_EXECUTABLE).mtimeMs : 0;
  if (newestSourceMs(['backend', 'model']) > builtMs) {
    steps.push([process.execPath, ['scripts/build-backend.mjs']]);
  }
  steps.push([process.execPath, ['scripts/build-agent.mjs']], [process.execPath, ['tests/host/buildHost.mjs']]);
  for (const [command, args] of steps) {
    if ((await run(command, args)) !== 0) {
      throw new Error(`build step failed: ${command} ${args.join(' ')}`);
    }
  }
}

async function runHostSpecs() {
  const log = (line) => console.log(`[host] ${line}`);
  let peers;
  try {
    await buildForHost();
    const { startHostPeers } = await import('../host/peerServers.mjs');
    peers = await startHostPeers({ serversFile: HOST_SERVERS_FILE, log });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    await peers?.stop();
    return { passed: 0, failed: 1 };
  }
  try {
    // The specs and the host page typecheck (one check, as the integration tier counts its own).
    const typecheck =
      (await run('npx', ['tsc', '-p', 'tests/host/tsconfig.json'])) === 0 &&
      (await run('npx', ['tsc', '-p', 'tests/host/tsconfig.web.json'])) === 0;
    const code = await run('npx', ['playwright', 'test', '-c', 'tests/host/playwright.config.ts'], {
      env: { ...process.env, WIRETRACE_IT_SERVERS: join(process.cwd(), HOST_SERVERS_FILE) },
    });
    const counts = playwrightCounts(code);
    return { passed: counts.passed + (typecheck ? 1 : 0), failed: counts.failed + (typecheck ? 0 : 1) };
  } finally {
    await peers.stop();
  }
}

function playwrightCounts(code) {
  try {
    const { stats } = JSON.parse(readFileSync(REPORT, 'utf8'));
    const failed = stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0);
    return { passed: stats.expected + stats.flaky, failed: failed + (stats.expected + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
