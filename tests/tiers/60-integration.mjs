// Integration through real parts: Jaeger, VictoriaLogs and Prometheus (test peers, built once and cached), the agent
// in `run` mode on network namespaces, services instrumented with the OpenTelemetry SDK, the backend executable
// queried through the Go SDK host; a real Kubernetes API server (etcd and kube-apiserver) and the reference
// NetworkPolicy enforcer (kube-network-policies) for the tests named *.kube.test.ts. Those run in a second pass, once
// their peers (the longest builds) are ready, so the first pass overlaps the rest of their build.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, isRoot, run } from '../lib/process.mjs';
import { awaitPeer } from '../../scripts/peers/index.mjs';
import { jaegerServer, prometheusServer, victoriaLogsServer } from '../../scripts/stack/servers.mjs';
import { freePort } from '../../scripts/stack/freePort.mjs';
import { startFresh, stopServer } from '../../scripts/stack/processes.mjs';
import { DATA_DIR } from '../../scripts/stack/paths.mjs';

const REPORT = 'build/jest-integration-report.json';
const KUBE_REPORT = 'build/jest-integration-kube-report.json';
const KUBE_TESTS = '\\.kube\\.test\\.ts$';
const SERVERS_FILE = 'build/integration/servers.json';
const READY_TIMEOUT_MS = 180_000;

export default {
  name: 'integration',
  order: 60,
  async skipReason() {
    if (!isRoot()) {
      return 'needs root to create network namespaces and iptables rules';
    }
    for (const tool of ['ip', 'iptables', 'tcpdump', 'nsenter', 'go', 'etcd', 'openssl', 'unshare', 'curl']) {
      if (!hasCommand(tool)) {
        return `${tool} is not installed`;
      }
    }
    return null;
  },
  async run() {
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
      const first = await jestPass(REPORT, ['--testPathIgnorePatterns', KUBE_TESTS]);
      // The Kubernetes peers: awaited only now, after the first pass ran beside the end of their build.
      let kube;
      try {
        const started = Date.now();
        const kubeBinaries = {
          kubeApiServer: await awaitPeer('kube-apiserver', { log }),
          kubeNetworkPolicies: await awaitPeer('kube-network-policies', { log }),
        };
        log(`Kubernetes peers ready after waiting ${Math.round((Date.now() - started) / 1000)} s`);
        writeServersFile({ ...servers.file, binaries: kubeBinaries });
        // Without VM modules: jest then loads @kubernetes/client-node (ES modules only) through its transform.
        kube = await jestPass(KUBE_REPORT, ['--testPathPattern', KUBE_TESTS], { vmModules: false });
      } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        kube = { passed: 0, failed: 1 };
      }
      return {
        passed: first.passed + kube.passed + peerTests.passed + (typecheck === 0 ? 1 : 0),
        failed: first.failed + kube.failed + peerTests.failed + (typecheck === 0 ? 0 : 1),
      };
    } finally {
      for (const name of Object.keys(servers.started)) {
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
  const started = await startFresh(specs, READY_TIMEOUT_MS, (spec, pid) =>
    console.log(`[peers] ${spec.name} ready (pid ${pid}): ${spec.endpoints.map(([, where]) => where).join(', ')}`)
  );
  const file = { ports: { ...ports, agentMetrics: agentMetricsPort }, servers: started };
  writeServersFile(file);
  return { started, file };
}

function writeServersFile(contents) {
  mkdirSync('build/integration', { recursive: true });
  writeFileSync(SERVERS_FILE, JSON.stringify(contents, null, 2));
}

// One jest run over the integration tests the extra arguments select; its counts.
async function jestPass(report, extraArgs, { vmModules = true } = {}) {
  rmSync(report, { force: true });
  const code = await run(
    'npx',
    [
      'jest',
      '-c',
      'tests/integration/jest.config.js',
      '--ci',
      '--runInBand',
      '--json',
      '--outputFile',
      report,
      ...extraArgs,
    ],
    {
      env: {
        ...process.env,
        WIRETRACE_IT_SERVERS: join(process.cwd(), SERVERS_FILE),
        // The OTLP exporter loads node:http with a dynamic import, which jest allows only with VM modules.
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''}${vmModules ? ' --experimental-vm-modules' : ''}`.trim(),
      },
    }
  );
  return jestCounts(report, code);
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

function jestCounts(report, code) {
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const failed = r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
    // Nothing run is not a pass.
    return { passed: r.numPassedTests, failed: failed + (r.numPassedTests + failed === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}
