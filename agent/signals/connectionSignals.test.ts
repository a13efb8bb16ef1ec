// Security signals through the real pipeline: one signal per connection at its SYN (retransmissions and later flow
// reports quiet), events from other sources flagged at their first report, and the config's mistakes named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import { PacketPipeline } from '../pipeline';
import { TcpConversation } from '../testkit/tcpConversation';
import { defaultTrackerOptions } from '../track/trackerOptions';
import { securitySignalsFrom } from './securitySignals';

const log = () => undefined;

describe('security signals in the pipeline', () => {
  let dir: string;
  let blocklist: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wt-signals-'));
    blocklist = join(dir, 'bl.txt');
    writeFileSync(blocklist, '# test list\n198.51.100.0/24\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function pipelineWith(security: Record<string, unknown>) {
    const signals = securitySignalsFrom(security, { source: 'pcap', node: 'n1', log })!;
    const pipeline = new PacketPipeline(defaultTrackerOptions({ unansweredSynMs: 1000 }));
    const events: NetworkEvent[] = [];
    pipeline.addWatcher(signals.watcher).addSink((e) => events.push(e));
    return { pipeline, events, signals: () => events.filter((e) => e.kind === 'signal') };
  }

  it('raises one critical signal for a connection to a blocklisted address, at its SYN', () => {
    const { pipeline, signals } = pipelineWith({ blocklists: [blocklist] });
    const c = new TcpConversation({ ip: '10.244.1.2', port: 40000 }, { ip: '198.51.100.7', port: 443 });
    c.syn(1_000_000);
    c.syn(1_200_000);
    c.synAck(1_201_000);
    c.ack(1_202_000);
    c.clientSends(1_203_000, 'hello');
    c.close(1_300_000);
    // A clean connection beside it raises nothing.
    const ok = new TcpConversation({ ip: '10.244.1.2', port: 40001 }, { ip: '10.244.1.3', port: 443 });
    ok.handshake(1_000_500);
    ok.close(1_100_000);
    for (const p of [...c.packets, ...ok.packets].sort((a, b) => a.timeUs - b.timeUs)) {
      pipeline.handlePacket(p);
    }
    pipeline.flush();
    expect(signals()).toEqual([
      {
        kind: 'signal',
        time: 1_000_000,
        transport: 'tcp',
        src: { ip: '10.244.1.2', port: 40000 },
        dst: { ip: '198.51.100.7', port: 443 },
        source: 'pcap',
        node: 'n1',
        signal: {
          severity: 'critical',
          seenAs: 'syn',
          matches: [{ rule: 'blocklisted_address', end: 'dst', detail: `${blocklist}:2 198.51.100.0/24` }],
        },
      },
    ]);
  });

  it('flags an unanswered connection once, however often its SYN is retried and its drop reported again', () => {
    const { pipeline, events, signals } = pipelineWith({ suspiciousPorts: [4444] });
    const c = new TcpConversation({ ip: '10.244.1.2', port: 40000 }, { ip: '10.244.1.9', port: 4444 });
    for (const t of [1_000_000, 2_000_000, 4_000_000, 8_000_000]) {
      c.syn(t);
    }
    c.packets.forEach((p) => pipeline.handlePacket(p));
    pipeline.advance(20_000_000);
    expect(events.some((e) => e.kind === 'drop')).toBe(true);
    expect(signals().map((e) => e.signal)).toEqual([
      { severity: 'warning', seenAs: 'syn', matches: [{ rule: 'suspicious_port', end: 'dst', detail: 'port 4444' }] },
    ]);
  });

  it('flags a reused port pair again when a new connection (another ISN) starts on it', () => {
    const { pipeline, signals } = pipelineWith({ suspiciousPorts: [4444] });
    const client = { ip: '10.244.1.2', port: 40000 };
    const server = { ip: '10.244.1.9', port: 4444 };
    const first = new TcpConversation(client, server, 1000);
    first.handshake(1_000_000);
    first.close(1_100_000);
    const second = new TcpConversation(client, server, 900_000);
    second.handshake(5_000_000);
    second.close(5_100_000);
    [...first.packets, ...second.packets].forEach((p) => pipeline.handlePacket(p));
    pipeline.flush();
    expect(signals().map((e) => e.time)).toEqual([1_000_000, 5_000_000]);
  });

  it('flags events from other sources (Hubble flows, NFLOG drops) at their first report only', () => {
    const { pipeline, signals } = pipelineWith({
      externalConnections: true,
      clusterRanges: ['10.244.0.0/16', '10.96.0.0/12'],
      blocklists: [blocklist],
    });
    const flow = (time: number, dst: string, port: number): NetworkEvent => ({
      kind: 'flow',
      time,
      transport: 'udp',
      src: { ip: '10.244.1.2', port: 5000 },
      dst: { ip: dst, port },
      source: 'hubble',
      flow: { state: 'active', toServer: { bytes: 1, packets: 1 }, toClient: { bytes: 0, packets: 0 } },
    });
    pipeline.handleEvent(flow(1, '8.8.8.8', 53));
    pipeline.handleEvent(flow(2, '8.8.8.8', 53));
    pipeline.handleEvent(flow(3, '10.96.0.10', 53));
    pipeline.handleEvent(flow(4, '169.254.169.254', 80));
    pipeline.handleEvent({
      ...flow(5, '198.51.100.1', 6667),
      kind: 'drop',
      drop: { reason: 'nflog:deny', verdict: 'dropped' },
    });
    expect(
      signals().map((e) => [
        e.time,
        e.source,
        e.signal!.seenAs,
        e.signal!.severity,
        e.signal!.matches.map((m) => m.rule),
      ])
    ).toEqual([
      [1, 'hubble', 'flow', 'warning', ['external_address']],
      [5, 'hubble', 'drop', 'critical', ['external_address', 'blocklisted_address']],
    ]);
  });

  it('flags a blocklisted client connecting in, naming the source end', () => {
    const { pipeline, signals } = pipelineWith({ blocklists: [blocklist] });
    const c = new TcpConversation({ ip: '198.51.100.66', port: 50000 }, { ip: '10.244.1.3', port: 443 });
    c.handshake(1_000_000);
    c.packets.forEach((p) => pipeline.handlePacket(p));
    expect(signals().map((e) => e.signal!.matches)).toEqual([
      [{ rule: 'blocklisted_address', end: 'src', detail: `${blocklist}:2 198.51.100.0/24` }],
    ]);
  });
});

describe('security config', () => {
  it.each([
    [{ suspiciousPorts: [0] }, /suspiciousPorts must be a list of port numbers/],
    [{ suspiciousPort: [1] }, /unknown key "security.suspiciousPort" \(did you mean "security.suspiciousPorts"\?\)/],
    [{ externalConnections: true }, /externalConnections needs security.clusterRanges/],
    [{ externalConnections: true, clusterRanges: ['10.0.0.0/40'] }, /clusterRanges: prefix length "40"/],
    [{ blocklists: ['/nonexistent/bl.txt'] }, /security.blocklists: cannot read blocklist \/nonexistent\/bl.txt/],
    [{ blocklistReloadMs: 5 }, /blocklistReloadMs must be an integer from 100/],
  ])('refuses %j, naming the problem', (security, message) => {
    expect(() => securitySignalsFrom(security, { source: 'pcap', log })).toThrow(message);
  });

  it('asks for nothing when no rule is configured', () => {
    expect(securitySignalsFrom({}, { source: 'pcap', log })).toBeUndefined();
    expect(securitySignalsFrom(undefined, { source: 'pcap', log })).toBeUndefined();
  });
});

describe('signal metrics', () => {
  it('counts signals by rule and severity and shows the blocklist in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-signals-'));
    try {
      const file = join(dir, 'bl.txt');
      writeFileSync(file, '198.51.100.0/24\nbogus\n');
      const registry = new Registry();
      const signals = securitySignalsFrom(
        { blocklists: [file], suspiciousPorts: [4444] },
        { source: 'pcap', registries: [registry], log }
      )!;
      const pipeline = new PacketPipeline(defaultTrackerOptions());
      pipeline.addWatcher(signals.watcher).addSink((e) => signals.metrics.record(e));
      const c = new TcpConversation({ ip: '10.244.1.2', port: 40000 }, { ip: '198.51.100.7', port: 4444 });
      c.syn(1_000_000);
      c.packets.forEach((p) => pipeline.handlePacket(p));
      const text = await registry.metrics();
      expect(text).toContain('wiretrace_signals_total{rule="suspicious_port",severity="critical"} 1');
      expect(text).toContain('wiretrace_signals_total{rule="blocklisted_address",severity="critical"} 1');
      expect(text).toContain('wiretrace_blocklist_entries 1');
      expect(text).toContain('wiretrace_blocklist_malformed_lines 1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
