// One connection whose SYNs the path silently drops (as a policy enforcer or a blackhole would) is one drop in `wiretrace-agent run`, counting each SYN once: captured on
// the pod's veth and on the bridge (each SYN seen twice), with the client's backoff outlasting the unanswered-SYN
// timeout (the drop is reported, then updated). A capture of the bridge alone, analyzed offline, is the reference.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { MiniCluster, NODE_JS } from '../netns/miniCluster';
import { newTraceIds } from '../netns/scenario';
import { waitFor } from '../netns/shell';
import { AGENT, agentBuilt, analyze } from './agentProcess';

const skipReason = netnsSkipReason() ?? (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;

const API = 'http://127.0.0.1:9471';
const DROPPED_PORT = 9090;
// As the checkout integration runs the agent; a later backoff step (2 s, 4 s) outlasts it.
const UNANSWERED_SYN_MS = 1500;

async function apiEvents(cluster: MiniCluster, query: string): Promise<NetworkEvent[]> {
  const script = `const r = await fetch(${JSON.stringify(`${API}/api/v1/events?${query}`)}); process.stdout.write(await r.text());`;
  const body = JSON.parse(await cluster.execInNode(NODE_JS, ['--input-type=module', '-e', script])) as {
    events: NetworkEvent[];
  };
  return body.events;
}

// The node-side end of the one local pod's veth pair.
function localPodVeth(cluster: MiniCluster): string {
  const links = execFileSync('ip', ['-n', cluster.nodeNs, '-o', 'link', 'show', 'master', 'br0'], { encoding: 'utf8' });
  const names = links
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split(':')[1].trim().split('@')[0]);
  if (names.length !== 1) {
    throw new Error(`expected one veth on br0, found: ${names.join(', ') || 'none'}`);
  }
  return names[0];
}

describeNetwork('run mode: an unanswered connection is one drop', () => {
  let cluster: MiniCluster;
  let agentLog = '';
  let capture = '';

  beforeAll(async () => {
    cluster = MiniCluster.create([
      { name: 'client', namespace: 'shop', host: 2, network: 'local', labels: { app: 'frontend' } },
      { name: 'web', namespace: 'shop', host: 2, network: 'remote', labels: { app: 'web' } },
    ]);
    const config = join(cluster.workDir, 'agent.yaml');
    writeFileSync(
      config,
      [
        `node: ${cluster.nodeNs}`,
        `capture: { interfaces: [br0, ${localPodVeth(cluster)}], filter: "ip" }`,
        `api: { listen: "${API.slice('http://'.length)}" }`,
        `tracker: { unansweredSynMs: ${UNANSWERED_SYN_MS} }`,
        `clusterFile: ${cluster.manifest.clusterFile}`,
      ].join('\n')
    );
    const agent = cluster.spawnInNode(NODE_JS, [AGENT, 'run', '--config', config]);
    agent.stderr!.on('data', (d: Buffer) => (agentLog += d.toString()));
    await waitFor(
      () => agentLog.includes('"capturing"') || agent.exitCode !== null,
      15_000,
      'the agent to start capturing'
    );
    if (agent.exitCode !== null) {
      throw new Error(`agent exited: ${agentLog}`);
    }
    await cluster.startCapture();
    await cluster.startHttpServer('web', DROPPED_PORT);
    cluster.dropPath('client', 'web', DROPPED_PORT);
    const web = cluster.pod('web');
    // Two clients at once: one gives up within the kernel's 1 s retries, one keeps trying into its longer backoff.
    await Promise.all(
      [2500, 8000].map((timeoutMs) =>
        cluster.runHttpClient(
          'client',
          [
            {
              url: `http://${web.ip}:${DROPPED_PORT}/pay`,
              method: 'GET',
              propagation: 'traceparent',
              timeoutMs,
              ...newTraceIds(),
            },
          ],
          { keepAlive: false }
        )
      )
    );
    // Let the timeout after the last attempt pass so every drop is reported live.
    await new Promise((r) => setTimeout(r, UNANSWERED_SYN_MS + 1500));
    capture = await cluster.stopCapture();
  });

  afterAll(async () => {
    await cluster?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('reports each unanswered connection once, with every SYN it sent counted', async () => {
    const web = cluster.pod('web');
    const offline = await analyze(['--pcap', capture]);
    const failures = cluster.manifest.drops.filter((d) => d.serverPort === DROPPED_PORT);
    expect(failures).toHaveLength(2);
    const liveDrops = (await apiEvents(cluster, 'kind=drop&limit=1000')).filter(
      (e) => e.dst.ip === web.ip && e.dst.port === DROPPED_PORT
    );
    // Each capture stamps its own copy: times agree to within a millisecond, not to the microsecond.
    const summary = (events: NetworkEvent[]) =>
      events
        .map((e) => ({
          srcPort: e.src.port,
          attempts: e.drop?.attempts,
          timeMs: Math.round(e.time / 1000),
          endTimeMs: Math.round(e.endTime! / 1000),
        }))
        .sort((a, b) => a.srcPort! - b.srcPort!);
    const fromCapture = summary(offline.events.filter((e) => e.kind === 'drop' && e.dst.port === DROPPED_PORT));
    expect(fromCapture.map((d) => d.srcPort)).toEqual(failures.map((f) => f.srcPort).sort((a, b) => a! - b!));
    // Both clients retried before giving up, the second for longer than the unanswered-SYN timeout between tries.
    expect(fromCapture.every((d) => d.attempts! >= 2)).toBe(true);
    expect(Math.max(...fromCapture.map((d) => d.endTimeMs - d.timeMs))).toBeGreaterThan(3 * UNANSWERED_SYN_MS);
    const live = summary(liveDrops);
    expect(live.map((d) => [d.srcPort, d.attempts])).toEqual(fromCapture.map((d) => [d.srcPort, d.attempts]));
    live.forEach((d, k) => {
      expect(Math.abs(d.timeMs - fromCapture[k].timeMs)).toBeLessThanOrEqual(1);
      expect(Math.abs(d.endTimeMs - fromCapture[k].endTimeMs)).toBeLessThanOrEqual(1);
    });
    for (const drop of liveDrops) {
      expect(drop.drop?.reason).toBe('unanswered_syn');
      expect(drop.src.pod).toBe('client');
    }
  });
});
