// `wiretrace-agent run` capturing the harness bridge live: its API returns the same events `analyze` finds in a capture.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS, type MiniCluster } from '../netns/miniCluster';
import { buildScenarioCluster, runScenario } from '../netns/scenario';
import { waitFor } from '../netns/shell';
import { AGENT, agentBuilt, analyze } from './agentProcess';
import { eventSignature } from './expectations';

const skipReason = netnsSkipReason() ?? (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;

const API = 'http://127.0.0.1:9470';

// The API listens on the node namespace's loopback, so the request is made from inside it.
async function apiGet(
  cluster: MiniCluster,
  path: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string }> {
  const script = `const r = await fetch(${JSON.stringify(API + path)}, { headers: ${JSON.stringify(headers)} }); process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }));`;
  return JSON.parse(await cluster.execInNode(NODE_JS, ['--input-type=module', '-e', script]));
}

describeNetwork('run mode with the API', () => {
  let cluster: MiniCluster;
  let agentLog = '';

  beforeAll(async () => {
    cluster = buildScenarioCluster();
    const config = join(cluster.workDir, 'agent.yaml');
    writeFileSync(
      config,
      [
        `node: ${cluster.nodeNs}`,
        'capture: { interfaces: [br0], filter: "ip" }',
        'api: { listen: "127.0.0.1:9470" }',
        'tracker: { unansweredSynMs: 1500, dnsTimeoutMs: 2000 }',
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
    await runScenario(cluster, { lossyRequests: 10, lossProbability: 0.02 });
    // Let the unanswered-SYN timeout pass so the drop is reported live.
    await new Promise((r) => setTimeout(r, 2500));
  });

  afterAll(async () => {
    // WIRETRACE_KEEP_NETNS_FILES=1 keeps the capture, manifest and cluster file for a look after a failure.
    await cluster?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('serves the drops, resets, DNS and HTTP exchanges the capture holds', async () => {
    const live = await apiGet(cluster, '/api/v1/events?limit=100000');
    expect(live.status).toBe(200);
    const body = JSON.parse(live.body) as { node: string; events: NetworkEvent[]; truncated: boolean };
    expect(body.node).toBe(cluster.nodeNs);
    const capture = await cluster.stopCapture();
    const offline = await analyze(['--pcap', capture]);
    const interesting = (e: NetworkEvent) => e.kind !== 'flow';
    const want = new Set(offline.events.filter(interesting).map(eventSignature));
    const got = new Set(body.events.filter(interesting).map(eventSignature));
    expect(want.size).toBeGreaterThan(0);
    expect([...want].filter((s) => !got.has(s))).toEqual([]);
    expect(body.events.some((e) => e.kind === 'drop' && e.src.pod === 'client')).toBe(true);
    for (const x of cluster.manifest.exchanges.filter((e) => e.status !== undefined)) {
      expect(got.has(`http ${x.traceId} ${x.method} ${x.path} ${x.status}`)).toBe(true);
    }
  });

  it('filters by kind and pod, and answers 400 to a bad parameter', async () => {
    const drops = JSON.parse((await apiGet(cluster, '/api/v1/events?kind=drop&pod=client')).body) as {
      events: NetworkEvent[];
    };
    expect(drops.events.length).toBeGreaterThan(0);
    expect(drops.events.every((e) => e.kind === 'drop')).toBe(true);
    const bad = await apiGet(cluster, '/api/v1/events?from=soon');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('from');
  });

  it('exposes metrics and topology', async () => {
    const metrics = await apiGet(cluster, '/metrics');
    expect(metrics.body).toMatch(/wiretrace_drops_total\{reason="unanswered_syn"\} [1-9]/);
    expect(metrics.body).toMatch(/wiretrace_tcp_handshake_rtt_seconds_count [1-9]/);
    const topology = JSON.parse((await apiGet(cluster, '/api/v1/topology')).body) as {
      edges: Array<{ src: { pod?: string }; dst: { pod?: string }; drops: number }>;
    };
    expect(topology.edges.some((e) => e.src.pod === 'client' && e.dst.pod === 'web' && e.drops > 0)).toBe(true);
    const health = JSON.parse((await apiGet(cluster, '/healthz')).body) as { status: string; packets: number };
    expect(health.status).toBe('ok');
    expect(health.packets).toBeGreaterThan(0);
  });
});
