// `run` with a blocklist: real connections inside a namespace to a blocklisted address give exactly one critical
// signal each (not one per packet, request or flow report), a clean address gives none, and a line added to the
// blocklist file while the agent runs counts for the next connection.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { sh } from '../netns/shell';
import { agentBuilt } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump', 'curl']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const API_PORT = 9479;
const HTTP_PORT = 8080;
const API = `http://127.0.0.1:${API_PORT}`;
const SERVER_SCRIPT = require.resolve('../netns/podScripts/httpServer.mjs');
// Documentation ranges (RFC 5737), given to the namespace's loopback so its own traffic reaches them.
const BAD = '198.51.100.7';
const LATER_BAD = '203.0.113.9';

describeNetwork('run: security signals from a blocklist', () => {
  let lo: LoopbackNamespace;
  let agent: Awaited<ReturnType<LoopbackNamespace['startAgent']>>;
  let blocklist: string;

  async function events(kind: string): Promise<NetworkEvent[]> {
    return (JSON.parse((await lo.get(`${API}/api/v1/events?kind=${kind}`)).body) as { events: NetworkEvent[] }).events;
  }

  // Asks until `done` holds for the events of `kind`, the agent exits, or 20 s pass (flows close within a second).
  async function eventsUntil(kind: string, done: (e: NetworkEvent[]) => boolean): Promise<NetworkEvent[]> {
    const deadline = Date.now() + 20_000;
    let seen = await events(kind);
    while (!done(seen) && agent.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      seen = await events(kind);
    }
    return seen;
  }

  // The closing report of the connection from this client port: once it is in, every report of it has been made.
  const closedFlowOf = (port: number) => (flows: NetworkEvent[]) =>
    flows.some((f) => f.src.port === port && f.flow?.state !== 'active');

  async function curlFrom(ip: string, paths: string[]): Promise<number> {
    // Requests on one kept-alive connection (each URL needs its own -o); curl reports its local port for each.
    const out = await lo.run(
      'curl',
      [
        '-sS',
        '--max-time',
        '10',
        // From the clean loopback address: the kernel would otherwise pick the destination's own address as source.
        '--interface',
        '127.0.0.1',
        '-w',
        '%{local_port}\\n',
        ...paths.flatMap((p) => ['-o', '/dev/null', `http://${ip}:${HTTP_PORT}${p}`]),
      ],
      30_000
    );
    const ports = out.trim().split('\n').map(Number);
    expect(new Set(ports).size).toBe(1);
    return ports[0];
  }

  beforeAll(async () => {
    lo = LoopbackNamespace.create('signals');
    for (const ip of [BAD, LATER_BAD]) {
      sh('ip', ['-n', lo.ns, 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    }
    blocklist = join(lo.workDir, 'blocklist.txt');
    writeFileSync(blocklist, '# known bad\n198.51.100.0/24\nnot-a-cidr\n');
    await lo.start(NODE_JS, [SERVER_SCRIPT, '0.0.0.0', String(HTTP_PORT)], /listening/, 'the HTTP server');
    agent = await lo.startAgent(API_PORT, [
      'capture: { interfaces: [lo], filter: "tcp" }',
      `security: { blocklists: [${JSON.stringify(blocklist)}], blocklistReloadMs: 200 }`,
    ]);
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('reports the malformed blocklist line with its line number', () => {
    expect(agent.output()).toContain(`blocklist ${blocklist} line 3: \\"not-a-cidr\\" is not an IPv4 or IPv6 address`);
  });

  it('gives one critical signal for a connection to a blocklisted address, none for a clean one', async () => {
    const badPort = await curlFrom(BAD, ['/a', '/b']);
    const cleanPort = await curlFrom('127.0.0.1', ['/c']);
    const flows = await eventsUntil('flow', (f) => closedFlowOf(badPort)(f) && closedFlowOf(cleanPort)(f));
    expect(closedFlowOf(badPort)(flows)).toBe(true);
    const signals = await events('signal');
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      kind: 'signal',
      transport: 'tcp',
      src: { ip: '127.0.0.1', port: badPort },
      dst: { ip: BAD, port: HTTP_PORT },
      signal: {
        severity: 'critical',
        seenAs: 'syn',
        matches: [{ rule: 'blocklisted_address', end: 'dst', detail: `${blocklist}:2 198.51.100.0/24` }],
      },
    });
    const metrics = (await lo.get(`${API}/metrics`)).body;
    expect(metrics).toContain('wiretrace_signals_total{rule="blocklisted_address",severity="critical"} 1');
    expect(metrics).toContain('wiretrace_blocklist_malformed_lines 1');
  });

  it('uses a line added to the blocklist while running for the next connection', async () => {
    const before = await curlFrom(LATER_BAD, ['/d']);
    await eventsUntil('flow', closedFlowOf(before));
    appendFileSync(blocklist, `${LATER_BAD}\n`);
    const reloaded = () => agent.output().includes(`blocklist ${blocklist} reloaded`);
    const deadline = Date.now() + 20_000;
    while (!reloaded() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(reloaded()).toBe(true);
    const after = await curlFrom(LATER_BAD, ['/e']);
    const signals = await eventsUntil('signal', (s) => s.some((e) => e.src.port === after));
    expect(signals.filter((e) => e.dst.ip === LATER_BAD).map((e) => [e.src.port, e.signal!.matches[0].detail])).toEqual(
      [[after, `${blocklist}:4 ${LATER_BAD}`]]
    );
    expect(signals.some((e) => e.src.port === before)).toBe(false);
  });
});
