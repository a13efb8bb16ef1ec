// Three nodes behind the shipped headless Service's name: three built agents capturing live loopback traffic, each
// its own node's (its own addresses), one DNS name for the three, and the backend — given only that name as its
// agent URL — returns events of all three nodes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ensureBackendExecutable } from '../../bench/lib/backendExecutable';
import { frameRows, type DatasourceSettings } from '../integration/backendQuery';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { hasCommand } from '../netns/shell';
import { AGENT, agentBuilt } from './agentProcess';
import { SdkHost } from './sdkHost';
import { ServiceDns } from './serviceDns';

const OCTET = 100 + (process.pid % 100);
const NODES = ['node-a', 'node-b', 'node-c'];
const APP_PORT = 18080;
const REQUESTS_PER_NODE = 4;

const skipReason =
  netnsSkipReason(['dnsmasq', 'tcpdump']) ??
  (['unshare', 'mount', 'go'].find((c) => !hasCommand(c)) ? 'needs unshare, mount and go' : null) ??
  (agentBuilt() ? null : 'build the agent first (node scripts/build-agent.mjs)');
const describeIfRoot = skipReason ? describe.skip : describe;
if (skipReason) {
  console.warn(`three-node Service test skipped: ${skipReason}`);
}

// The Service as shipped: its name, namespace and port make the URL users configure.
function shippedService(): { host: string; port: number } {
  const manifest = parse(readFileSync(resolve(__dirname, '../../deploy/kubernetes/service.yaml'), 'utf8')) as {
    metadata: { name: string; namespace: string };
    spec: { clusterIP: string; ports: Array<{ port: number }> };
  };
  if (manifest.spec.clusterIP !== 'None') {
    throw new Error(`deploy/kubernetes/service.yaml is no longer headless (clusterIP ${manifest.spec.clusterIP})`);
  }
  return { host: `${manifest.metadata.name}.${manifest.metadata.namespace}.svc`, port: manifest.spec.ports[0].port };
}

function startAgent(config: string, why: string): Promise<ChildProcess> {
  const child = spawn(NODE_JS, [AGENT, 'run', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => fail('did not start capturing within 20 s'), 20_000);
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${message}\n${log.slice(-2000)}`));
    };
    const watch = (d: Buffer) => {
      log += d.toString();
      if (log.includes('"capturing"')) {
        clearTimeout(timer);
        resolvePromise(child);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => fail(`exited ${code}`));
  });
}

async function eventsOf(apiUrl: string): Promise<Array<{ kind: string }>> {
  const response = await fetch(`${apiUrl}/api/v1/events`);
  return ((await response.json()) as { events: Array<{ kind: string }> }).events;
}

describeIfRoot('three nodes behind the shipped headless Service name', () => {
  const service = skipReason ? { host: '', port: 0 } : shippedService();
  const apiAddress = (i: number) => `127.${OCTET}.3.${i + 1}`;
  const appAddress = (i: number) => `127.${OCTET}.4.${i + 1}`;
  const workDir = mkdtempSync(join(tmpdir(), 'wt-three-nodes-'));
  const agents: ChildProcess[] = [];
  const apps: Server[] = [];
  let dns: ServiceDns;

  beforeAll(async () => {
    ensureBackendExecutable((m) => console.log(m));
    for (let i = 0; i < NODES.length; i++) {
      const app = createServer((req, res) => res.end(`${NODES[i]} ${req.url}`));
      await new Promise<void>((ok) => app.listen(APP_PORT, appAddress(i), ok));
      apps.push(app);
      const config = join(workDir, `${NODES[i]}.yaml`);
      writeFileSync(
        config,
        [
          `node: ${NODES[i]}`,
          `api: { listen: "${apiAddress(i)}:${service.port}" }`,
          // Each node's agent sees only its own node's application traffic.
          `capture: { interfaces: [lo], filter: "tcp and host ${appAddress(i)} and port ${APP_PORT}" }`,
        ].join('\n')
      );
      agents.push(await startAgent(config, `the agent of ${NODES[i]}`));
    }
    for (let i = 0; i < NODES.length; i++) {
      for (let k = 0; k < REQUESTS_PER_NODE; k++) {
        const response = await fetch(`http://${appAddress(i)}:${APP_PORT}/orders/${k}`, {
          headers: { connection: 'close' },
        });
        expect(await response.text()).toBe(`${NODES[i]} /orders/${k}`);
      }
    }
    // Each agent has its node's exchanges before the backend is asked (bounded: a failing run ends here).
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < NODES.length; i++) {
      const api = `http://${apiAddress(i)}:${service.port}`;
      while ((await eventsOf(api)).filter((e) => e.kind === 'http').length < REQUESTS_PER_NODE) {
        if (Date.now() > deadline) {
          throw new Error(`${NODES[i]}'s agent has not reported its ${REQUESTS_PER_NODE} exchanges within 30 s`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    dns = await ServiceDns.start(`127.${OCTET}.53.3`, { [service.host]: NODES.map((_, i) => apiAddress(i)) });
  }, 120_000);

  afterAll(async () => {
    await dns?.stop();
    await Promise.all(
      agents.map(
        (a) =>
          new Promise<void>((done) => {
            if (a.exitCode !== null || a.signalCode !== null) {
              done();
              return;
            }
            const killer = setTimeout(() => a.kill('SIGKILL'), 10_000);
            a.once('exit', () => (clearTimeout(killer), done()));
            a.kill('SIGTERM');
          })
      )
    );
    await Promise.all(apps.map((app) => new Promise((done) => app.close(done))));
    rmSync(workDir, { recursive: true, force: true });
  });

  it('returns the events of all three nodes with the Service name as the only agent URL', async () => {
    const host = new SdkHost((command, args) => dns.launcher(command, args));
    const settings: DatasourceSettings = {
      uid: 'three-nodes',
      name: 'three nodes',
      jsonData: { agentUrls: [`http://${service.host}:${service.port}`] },
    };
    const now = Date.now();
    const result = (
      await host.query(settings, [{ refId: 'A', queryType: 'flows' }], { fromMs: now - 600_000, toMs: now })
    ).A;
    expect(result.error).toBeUndefined();
    const rows = frameRows(result.frames.find((f) => f.fields.some((x) => x.name === 'node'))!);
    const exchanges = rows.filter((r) => r.kind === 'http');
    for (let i = 0; i < NODES.length; i++) {
      const own = exchanges.filter((r) => r.node === NODES[i]);
      // Each node's exchanges, with its own application's address: the events came from that node's agent.
      expect(own.map((r) => [r.dst_ip, r.dst_port])).toEqual(
        Array.from({ length: REQUESTS_PER_NODE }, () => [appAddress(i), APP_PORT])
      );
    }
    const notices = result.frames.flatMap((f) => (f.meta?.notices as unknown[] | undefined) ?? []);
    expect(notices).toEqual([]);
    const perNode = NODES.map((n) => `${n}: ${rows.filter((r) => r.node === n).length}`).join(', ');
    console.log(`${service.host}:${service.port} → 3 agents; events per node: ${perNode}`);
  }, 120_000);
});
