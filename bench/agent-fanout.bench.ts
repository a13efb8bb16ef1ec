// The backend's fan-out to 300 agents behind one DNS name (a headless Service), one in ten slow or down: QueryData
// `drops` timed through the Go SDK host (tests/conformance/cmd/querybench) against the built backend executable, the
// agents being the agent's own API server over stored events (tests/network/fleetScenario.ts). Needs root (the
// backend gets the test's resolver in a private mount namespace), dnsmasq, unshare and go; otherwise it says why
// on stderr and reports nothing. No peer does this fan-out, so the lines carry ours only.
import { spawnSync } from 'node:child_process';
import { DROP_EVERY } from '../tests/network/fleetEvents';
import { fleetSpecs, startFleetService } from '../tests/network/fleetScenario';
import { percentile, SdkHost } from '../tests/network/sdkHost';
import { ensureBackendExecutable } from './lib/backendExecutable';
import { report, round } from './lib/report';

const AGENTS = 300;
const EVENTS_PER_AGENT = 1000;
const AGENT_TIMEOUT_MS = 2000;
const SLOW_MS = 8000;
const OCTET = 100 + (process.pid % 100);

function log(message: string): void {
  process.stderr.write(`agent-fanout: ${message}\n`);
}

function missingTool(): string | undefined {
  if (process.getuid?.() !== 0) {
    return 'root';
  }
  return ['dnsmasq', 'unshare', 'mount', 'go'].find(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0
  );
}

async function main(): Promise<void> {
  const missing = missingTool();
  if (missing) {
    log(`skipped: needs ${missing}`);
    return;
  }
  ensureBackendExecutable(log);
  const endUs = Date.now() * 1000;
  const specs = fleetSpecs(OCTET, AGENTS, EVENTS_PER_AGENT, endUs);
  const healthy = specs.filter((s) => s.health === 'healthy').length;
  const service = await startFleetService(specs, OCTET, SLOW_MS);
  try {
    const host = new SdkHost((command, args) => service.dns.launcher(command, args));
    const result = await host.benchDrops(
      { uid: 'fleet', name: 'fleet', jsonData: { agentUrls: [service.agentUrl], agentTimeoutMs: AGENT_TIMEOUT_MS } },
      { queryType: 'drops', limit: 50_000 },
      { fromMs: endUs / 1000 - 15 * 60_000, toMs: endUs / 1000 + 60_000 },
      { warmup: 2, runs: 20, concurrency: 2, rounds: 3 },
      300_000
    );
    const rows = result.rows.drops ?? 0;
    const expected = healthy * (EVENTS_PER_AGENT / DROP_EVERY);
    const work =
      `${AGENTS} agents × ${EVENTS_PER_AGENT} events in one local process, ${AGENTS - healthy} slow (${SLOW_MS} ms) ` +
      `or down, agentTimeoutMs ${AGENT_TIMEOUT_MS}; last query ${rows} of ${expected} drops`;
    const note = `ours only: no peer does this fan-out; ${work}`;
    const p95 = percentile(result.singleMs, 95);
    report({
      bench: 'agent fan-out drops p50 (300 agents)',
      unit: 'ms',
      ours: round(percentile(result.singleMs, 50)),
      peer: null,
      peerValue: null,
      note,
    });
    report({
      bench: 'agent fan-out drops p95 (300 agents)',
      unit: 'ms',
      ours: round(p95),
      peer: null,
      peerValue: null,
      goal: 'p95 ≤ 2000 ms with every healthy agent’s drops',
      met: p95 <= 2000 && rows === expected,
      note,
    });
    report({
      bench: 'agent fan-out backend RSS peak (300 agents)',
      unit: 'MB',
      ours: round(result.peakRssMb),
      peer: null,
      peerValue: null,
      goal: '≤ 512 MB',
      met: result.peakRssMb <= 512,
      note,
    });
  } finally {
    await service.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
);
