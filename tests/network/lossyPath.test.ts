// Retransmissions on a short lossy path, counted by `analyze` on a capture at either end, against the truth of what
// each sender resent (its own capture): within 10% per connection, whether the loss was before or after the capture.
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { CLIENT_IP, RoutedPath, SERVER_IP, type Endpoint } from '../netns/routedPath';
import { agentBuilt, analyze } from './agentProcess';
import { reorderedOnThePath, senderResends } from './senderResends';

const skipReason =
  netnsSkipReason(['tcpdump', 'iptables', 'tshark', 'ss']) ??
  (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;
if (skipReason) {
  process.stderr.write(`network tests skipped: ${skipReason}\n`);
}

const LOSS = 0.03;
// Large enough that a resend lost before the capture point too (invisible there) stays well inside 10%.
const CONNECTIONS = 4;
const BULK_BYTES = 5_000_000;
const SMALL_BYTES = 2_000;

function finalCounts(events: NetworkEvent[], pick: 'retransmits' | 'outOfOrder'): Map<number, number> {
  const byPort = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'flow' && e.flow?.state !== 'active' && e.dst.ip === SERVER_IP) {
      const port = e.src.port ?? 0;
      byPort.set(port, (byPort.get(port) ?? 0) + (e.flow?.tcp?.[pick] ?? 0));
    }
  }
  return byPort;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describeNetwork('retransmissions on a lossy routed path, per connection', () => {
  let path: RoutedPath;
  let uploads: number[];
  let downloads: number[];
  let captures: Record<Endpoint, string>;
  let truth: Map<number, number>;
  const analyzed = {} as Record<Endpoint, NetworkEvent[]>;

  beforeAll(async () => {
    path = RoutedPath.create();
    path.lossOnRouter(LOSS);
    await path.startServer();
    await path.startCaptures();
    uploads = await path.transfer(CONNECTIONS, BULK_BYTES, SMALL_BYTES);
    downloads = await path.transfer(CONNECTIONS, SMALL_BYTES, BULK_BYTES);
    captures = await path.stopCaptures();
    process.stdout.write(`router dropped ${path.routerDrops()} TCP packets\n`);
    expect(path.captureDrops).toEqual({ client: 0, server: 0 });
    const fromClient = senderResends(captures.client, CLIENT_IP);
    const fromServer = senderResends(captures.server, SERVER_IP);
    for (const side of ['client', 'server'] as const) {
      const result = await analyze(['--pcap', captures[side]]);
      expect(result.code).toBe(0);
      analyzed[side] = result.events;
    }
    truth = new Map([...uploads, ...downloads].map((p) => [p, (fromClient.get(p) ?? 0) + (fromServer.get(p) ?? 0)]));
  });

  afterAll(() => path?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1'));

  function compare(capturedAt: Endpoint, counted: Map<number, number>, ports: number[], label: string) {
    const rows = ports.map((p) => ({ port: p, truth: truth.get(p) ?? 0, counted: counted.get(p) }));
    process.stdout.write(`${label} (captured at the ${capturedAt}): ${JSON.stringify(rows)}\n`);
    expect(rows.reduce((n, r) => n + r.truth, 0)).toBeGreaterThan(ports.length * 5);
    for (const r of rows) {
      expect({
        port: r.port,
        within10pct: Math.abs((r.counted ?? -1000) - r.truth) <= Math.max(1, 0.1 * r.truth),
      }).toEqual({ port: r.port, within10pct: true });
    }
  }

  for (const capturedAt of ['client', 'server'] as const) {
    it(`counts each connection's resends from the ${capturedAt}'s capture, lost before or after it`, () => {
      const counted = finalCounts(analyzed[capturedAt], 'retransmits');
      // Uploads: the client's data is lost after the client's capture and before the server's; downloads the reverse.
      compare(
        capturedAt,
        counted,
        uploads,
        capturedAt === 'client' ? 'loss after the capture' : 'loss before the capture'
      );
      compare(
        capturedAt,
        counted,
        downloads,
        capturedAt === 'client' ? 'loss before the capture' : 'loss after the capture'
      );
    });
  }

  // The two CPUs' receive paths reorder segments between the router and the endpoints now and then: the sender's
  // IP IDs say which ones it sent once and that arrived behind a later one.
  it('reports the reordering the path really did, and only that', () => {
    const reordered = new Map([
      ...reorderedOnThePath(captures.server, captures.client, SERVER_IP),
      ...reorderedOnThePath(captures.client, captures.server, CLIENT_IP),
    ]);
    let counted = 0;
    for (const capturedAt of ['client', 'server'] as const) {
      const ports = capturedAt === 'client' ? downloads : uploads;
      const ooo = finalCounts(analyzed[capturedAt], 'outOfOrder');
      counted += ports.reduce((n, p) => n + (ooo.get(p) ?? 0), 0);
    }
    const truth = sum(reordered);
    process.stdout.write(`reordered on the path: ${truth}; reported out-of-order: ${counted}\n`);
    // Only a resend that the path itself reordered may be told either way (it is both).
    expect(Math.abs(counted - truth)).toBeLessThanOrEqual(Math.max(3, 0.03 * truth));
  });
});
