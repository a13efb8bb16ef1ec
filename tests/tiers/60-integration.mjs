// Integration through real parts: Tempo and Loki (built from pinned releases), the agent on network namespaces
// with a real policy drop, spans from the real OpenTelemetry SDK, the backend executable queried as Grafana does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hasCommand, isRoot, run } from '../lib/process.mjs';
import { UPSTREAMS } from '../../scripts/stack/upstreams.mjs';
import { upstreamUnavailableReason } from '../../scripts/stack/upstreamBinary.mjs';
import { stackDown, stackUp } from '../../scripts/stack/stackControl.mjs';
import { LOKI_URL, OTLP_HTTP_URL, TEMPO_URL } from '../../scripts/stack/servers.mjs';

const REPORT = 'build/jest-integration-report.json';

export default {
  name: 'integration',
  order: 60,
  async skipReason() {
    if (!isRoot()) {
      return 'needs root to create network namespaces and iptables rules';
    }
    for (const tool of ['ip', 'iptables', 'tcpdump']) {
      if (!hasCommand(tool)) {
        return `${tool} is not installed`;
      }
    }
    for (const release of Object.values(UPSTREAMS)) {
      const reason = upstreamUnavailableReason(release);
      if (reason) {
        return `${release.name} cannot be had: ${reason}`;
      }
    }
    if (!existsSync('tests/conformance/cmd/pluginquery/main.go')) {
      return 'the Go-SDK plugin host (tests/conformance/cmd/pluginquery) is missing';
    }
    return agentRunMissing();
  },
  async run() {
    const log = (line) => console.log(`[stack] ${line}`);
    const state = await stackUp({ log, withGrafana: false });
    if (state.unavailable.length > 0) {
      console.error(`stack incomplete: ${state.unavailable.join('; ')}`);
      return { passed: 0, failed: 1 };
    }
    const startedHere = state.servers.filter((s) => s.startedNow).map((s) => s.name);
    try {
      mkdirSync('build', { recursive: true });
      const stackTests = await stackScriptCounts();
      const typecheck = await run('npx', ['tsc', '-p', 'tests/integration/tsconfig.json']);
      rmSync(REPORT, { force: true });
      const code = await run(
        'npx',
        ['jest', '-c', 'tests/integration/jest.config.js', '--ci', '--runInBand', '--json', '--outputFile', REPORT],
        {
          env: {
            ...process.env,
            WIRETRACE_TEMPO_URL: TEMPO_URL,
            WIRETRACE_LOKI_URL: LOKI_URL,
            WIRETRACE_OTLP_HTTP_URL: OTLP_HTTP_URL,
            // The OTLP exporter loads node:http with a dynamic import, which jest allows only with VM modules.
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
          },
        }
      );
      const counts = jestCounts(code);
      return {
        passed: counts.passed + stackTests.passed + (typecheck === 0 ? 1 : 0),
        failed: counts.failed + stackTests.failed + (typecheck === 0 ? 0 : 1),
      };
    } finally {
      if (startedHere.length > 0) {
        await stackDown(startedHere);
      }
    }
  },
};

// The scenario needs the agent's `run` mode (live capture + HTTP API); say so plainly while it does not exist.
function agentRunMissing() {
  const build = spawnSync(process.execPath, ['scripts/build-agent.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) {
    return null; // A broken agent build is a failure, reported by the tests themselves.
  }
  const help = spawnSync(process.execPath, ['build/agent/wiretrace-agent.cjs', 'run', '--help'], { encoding: 'utf8' });
  if (help.status === 0) {
    return null;
  }
  const said = `${help.stderr}`.trim().split('\n')[0];
  return `wiretrace-agent has no working "run" command yet (exit ${help.status}: ${said})`;
}

// The stack scripts' own tests (node:test, plain ESM like the scripts).
async function stackScriptCounts() {
  const tap = 'build/stack-scripts.tap';
  const code = await run(process.execPath, [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    'tests/stack/*.test.mjs',
  ]);
  try {
    const text = readFileSync(tap, 'utf8');
    const passed = Number(/^# pass (\d+)$/m.exec(text)?.[1] ?? 0);
    const failed = Number(/^# fail (\d+)$/m.exec(text)?.[1] ?? 0);
    return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function jestCounts(code) {
  try {
    const r = JSON.parse(readFileSync(REPORT, 'utf8'));
    const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
    // Nothing run is not a pass: the tier only runs when everything the tests need is here.
    return { passed: r.numPassedTests, failed: failed + (r.numPassedTests + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
