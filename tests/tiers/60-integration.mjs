// Integration through real parts: Jaeger, VictoriaLogs and Prometheus (test peers, built once and cached), the agent
// in `run` mode on network namespaces, services instrumented with the OpenTelemetry SDK, the backend executable
// queried through the Go SDK host. The one stand-in: an iptables DROP plays the NetworkPolicy enforcer.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { hasCommand, isRoot, run } from '../lib/process.mjs';
import { awaitPeer } from '../../scripts/peers/index.mjs';
import { jaegerServer, prometheusServer, victoriaLogsServer } from '../../scripts/stack/servers.mjs';
import { pidFile, startServer, stopServer, waitReady } from '../../scripts/stack/processes.mjs';
import { DATA_DIR } from '../../scripts/stack/paths.mjs';

const REPORT = 'build/jest-integration-report.json';
const SERVERS_FILE = 'build/integration/servers.json';
const READY_TIMEOUT_MS = 180_000;

export default {
  name: 'integration',
  order: 60,
  async skipReason() {
    if (!isRoot()) {
      return 'needs root to create network namespaces and iptables rules';
    }
    for (const tool of ['ip', 'iptables', 'tcpdump', 'nsenter', 'go']) {
      if (!hasCommand(tool)) {
        return `${tool} is not installed`;
      }
    }
    return null;
  },
  async run() {
    console.log(
      'integration: the NetworkPolicy drop is made by an iptables DROP rule standing in for the enforcer ' +
        '(kube-network-policies is not wired in yet); everything else is the real thing'
    );
    const log = (line) => console.log(`[peers] ${line}`);
    // The peer builder's own contract tests (plain ESM, like the scripts).
    const peerTests = await peerScriptCounts();
    let binaries;
    try {
      // A peer that cannot be built fails the tier with its build log; it never skips it.
      binaries = {
        jaeger: await awaitPeer('jaeger', { log }),
        victorialogs: await awaitPeer('victorialogs', { log }),
        prometheus: await awaitPeer('prometheus', { log }),
      };
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return { passed: peerTests.passed, failed: peerTests.failed + 1 };
    }
    const servers = await startPeerServers(binaries);
    try {
      mkdirSync('build', { recursive: true });
      const typecheck = await run('npx', ['tsc', '-p', 'tests/integration/tsconfig.json']);
      rmSync(REPORT, { force: true });
      const code = await run(
        'npx',
        ['jest', '-c', 'tests/integration/jest.config.js', '--ci', '--runInBand', '--json', '--outputFile', REPORT],
        {
          env: {
            ...process.env,
            WIRETRACE_IT_SERVERS: join(process.cwd(), SERVERS_FILE),
            // The OTLP exporter loads node:http with a dynamic import, which jest allows only with VM modules.
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
          },
        }
      );
      const counts = jestCounts(code);
      return {
        passed: counts.passed + peerTests.passed + (typecheck === 0 ? 1 : 0),
        failed: counts.failed + peerTests.failed + (typecheck === 0 ? 0 : 1),
      };
    } finally {
      for (const name of Object.keys(servers)) {
        await stopServer(name);
      }
    }
  },
};

// Each peer on loopback ports of its own, so a developer's `npm run stack` may keep running beside the tests.
async function startPeerServers(binaries) {
  const ports = {
    jaegerQueryHttp: await freePort(),
    jaegerQueryGrpc: await freePort(),
    jaegerOtlpGrpc: await freePort(),
    jaegerOtlpHttp: await freePort(),
    victoriaLogs: await freePort(),
    prometheus: await freePort(),
  };
  const agentMetricsPort = await freePort();
  const dataDir = join(DATA_DIR, `integration-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const specs = [
    jaegerServer(binaries.jaeger, ports, 'it-jaeger'),
    victoriaLogsServer(binaries.victorialogs, ports, join(dataDir, 'victorialogs'), 'it-victorialogs'),
    prometheusServer(binaries.prometheus, {
      ports,
      dataDir: join(dataDir, 'prometheus'),
      agentTargets: [`127.0.0.1:${agentMetricsPort}`],
      name: 'it-prometheus',
    }),
  ];
  const started = {};
  for (const spec of specs) {
    await stopServer(spec.name);
    const pid = startServer(spec);
    started[spec.name] = { spec, pidFile: pidFile(spec.name) };
    await waitReady(spec, pid, READY_TIMEOUT_MS);
    console.log(`[peers] ${spec.name} ready (pid ${pid}): ${spec.endpoints.map(([, where]) => where).join(', ')}`);
  }
  mkdirSync('build/integration', { recursive: true });
  writeFileSync(
    SERVERS_FILE,
    JSON.stringify({ ports: { ...ports, agentMetrics: agentMetricsPort }, servers: started }, null, 2)
  );
  return started;
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function peerScriptCounts() {
  const tap = 'build/peer-scripts.tap';
  mkdirSync('build', { recursive: true });
  const code = await run(process.execPath, [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    'scripts/peers/peers.test.mjs',
  ]);
  try {
    const text = readFileSync(tap, 'utf8');
    const passed = Number(/^# pass (\d+)$/m.exec(text)?.[1] ?? 0);
    const failed = Number(/^# fail (\d+)$/m.exec(text)?.[1] ?? 0);
    return { passed, failed: failed + (code !== 0 && failed === 0 ? 1 : 0) + (passed + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function jestCounts(code) {
  try {
    const r = JSON.parse(readFileSync(REPORT, 'utf8'));
    const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
    // Nothing run is not a pass.
    return { passed: r.numPassedTests, failed: failed + (r.numPassedTests + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
