// Soak: `run` captures a minute of mixed loopback traffic (HTTP with and without trace headers, non-HTTP TCP, DNS,
// refused connects, server resets) through its bounded queue, and at the end has counted exactly the packets and
// events a tcpdump running beside it wrote (that file analyzed offline is the truth; tshark confirms the packet count).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventKind, NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { hasCommand, waitFor } from '../netns/shell';
import { agentBuilt, analyze } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump', 'dnsmasq']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const SECONDS = Number(process.env.WIRETRACE_SOAK_SECONDS ?? 60);
const API_PORT = 9475;
const API = `http://127.0.0.1:${API_PORT}`;
const PORTS = { http: 8080, echo: 7007, closed: 7999 };
const FILTER = 'tcp or udp';
const TRAFFIC = join(__dirname, 'scripts/soakTraffic.mjs');
const KINDS: EventKind[] = ['http', 'dns', 'reset', 'drop'];
// Sent last (UDP discard port): once the beside capture holds it, it holds everything before it.
const END_MARKER = 'wiretrace-soak-end';

interface TrafficCounts {
  tracedRequests: number;
  plainRequests: number;
  echoes: number;
  serverResets: number;
  refused: number;
  lookups: number;
}

function byKind(events: NetworkEvent[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const e of events) {
    if (e.kind in out) {
      out[e.kind]++;
    }
  }
  return out;
}

describeNetwork('soak: a minute of mixed live traffic', () => {
  let lo: LoopbackNamespace;
  let agent: Awaited<ReturnType<LoopbackNamespace['startAgent']>>;
  let counts: TrafficCounts;
  let truth: { packets: number; events: NetworkEvent[]; file: string };

  async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const r = await lo.get(`${API}/healthz`);
    return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> };
  }

  async function liveEvents(): Promise<NetworkEvent[]> {
    const r = await lo.get(`${API}/api/v1/events?kind=${KINDS.join(',')}&limit=100000`);
    return (JSON.parse(r.body) as { events: NetworkEvent[] }).events;
  }

  // Polls until `done` holds on the latest value or the agent is gone; the deadline only bounds a failing run.
  async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && agent.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      value = await read();
    }
    return value;
  }

  beforeAll(async () => {
    lo = LoopbackNamespace.create('soak');
    const records = Array.from({ length: 7 }, (_, i) => `--host-record=svc${i}.soak.test,127.0.0.${10 + i}`);
    await lo.start(
      'dnsmasq',
      [
        '--keep-in-foreground',
        '--log-facility=-',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--pid-file=${join(lo.workDir, 'dnsmasq.pid')}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--user=root',
        '--local=/soak.test/',
        ...records,
      ],
      /started/,
      'dnsmasq'
    );
    agent = await lo.startAgent(API_PORT, [`capture: { interfaces: [lo], filter: "${FILTER}" }`]);
    const file = join(lo.workDir, 'beside.pcap');
    const beside = await lo.start(
      'tcpdump',
      [
        // 256 MiB of kernel buffer holds the whole minute: the reference must not lose packets on a busy machine.
        ...['-i', 'lo', '-U', '--immediate-mode', '-n', '-s', '262144', '-B', '262144', '-w', file],
        `(${FILTER}) and not tcp port ${API_PORT}`,
      ],
      /listening on/,
      'the tcpdump beside the agent'
    );
    const out = await lo.run(
      NODE_JS,
      [TRAFFIC, String(SECONDS), String(PORTS.http), String(PORTS.echo), String(PORTS.closed), '127.0.0.1'],
      (SECONDS + 180) * 1000
    );
    counts = JSON.parse(out) as TrafficCounts;
    const marker = `const s = (await import('node:dgram')).createSocket('udp4'); s.send('${END_MARKER}', 9, '127.0.0.1', () => s.close());`;
    await lo.run(NODE_JS, ['--input-type=module', '-e', marker]);
    // Stopping tcpdump drops what it has not written yet: stop it once the file holds the last packet.
    await waitFor(() => readFileSync(file).includes(END_MARKER), 60_000, 'the end marker in the beside capture');
    const exited = new Promise((r) => beside.once('exit', r));
    beside.kill('SIGINT');
    await exited;
    const offline = await analyze(['--pcap', file]);
    if (offline.code !== 0) {
      throw new Error(`analyze of the beside capture failed: ${offline.stderr}`);
    }
    truth = { packets: Number(/"packets":(\d+)/.exec(offline.stderr)?.[1]), events: offline.events, file };
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('made the traffic it was asked for', () => {
    expect(counts.tracedRequests).toBeGreaterThan(0);
    expect(counts.plainRequests).toBe(counts.tracedRequests);
    expect(counts.echoes).toBeGreaterThan(0);
    expect(counts.refused).toBeGreaterThan(0);
    expect(counts.serverResets).toBeGreaterThan(0);
    expect(truth.packets).toBeGreaterThan(1000);
  });

  it('counted every packet tcpdump wrote, shed none and stayed healthy', async () => {
    if (hasCommand('tshark')) {
      const r = spawnSync('tshark', ['-r', truth.file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
      expect(r.stdout.split('\n').filter((l) => l.trim()).length).toBe(truth.packets);
    }
    const h = await pollUntil(health, (v) => Number(v.body.packets) >= truth.packets, 120_000);
    expect(h.body.packets).toBe(truth.packets);
    expect(h).toMatchObject({ status: 200, body: { status: 'ok', pipelineErrors: 0 } });
    const metrics = (await lo.get(`${API}/metrics`)).body;
    expect(metrics).toMatch(/^wiretrace_shed_packets_total 0$/m);
    expect(agent.output()).not.toMatch(/live capture stopped|pipeline error/);
  });

  it('reported the same exchanges, lookups and resets as the offline analysis of that capture', async () => {
    const want = byKind(truth.events);
    const live = await pollUntil(liveEvents, (v) => JSON.stringify(byKind(v)) === JSON.stringify(want), 60_000);
    expect(byKind(live)).toEqual(want);
    expect(want.http).toBe(counts.tracedRequests + counts.plainRequests);
    const traced = live.filter((e) => e.kind === 'http' && e.traceId !== undefined);
    expect(traced).toHaveLength(counts.tracedRequests);
    expect(want.dns).toBeGreaterThanOrEqual(counts.lookups);
    expect(want.reset).toBeGreaterThanOrEqual(counts.refused + counts.serverResets);
  });
});
