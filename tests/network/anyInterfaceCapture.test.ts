// A `tcpdump -i any` capture of the node sees every forwarded packet up to four times (pod veth, bridge, bridge,
// pod veth): analyze must report the same exchanges and failures, without inventing retransmissions from the copies.
import { netnsSkipReason } from '../netns/availability';
import type { MiniCluster } from '../netns/miniCluster';
import { buildScenarioCluster, PORTS, runScenario } from '../netns/scenario';
import { agentBuilt, analyze, type AnalyzeResult } from './agentProcess';
import { findDns, findDrop, findExchange, findReset } from './expectations';

const skipReason = netnsSkipReason() ?? (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;

describeNetwork('analyze on a capture of every interface', () => {
  let cluster: MiniCluster;
  let result: AnalyzeResult;

  beforeAll(async () => {
    cluster = buildScenarioCluster();
    await cluster.startCapture(262144, 'any');
    await runScenario(cluster, { lossyRequests: 10, lossProbability: 0.02 });
    result = await analyze(['--pcap', await cluster.stopCapture()]);
  });

  afterAll(async () => {
    await cluster?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('finds every exchange, drop, reset and lookup once', () => {
    expect(result.code).toBe(0);
    for (const x of cluster.manifest.exchanges.filter((e) => e.status !== undefined)) {
      expect(result.events.filter((e) => e.kind === 'http' && e.traceId === x.traceId)).toHaveLength(1);
      expect(findExchange(result.events, x)?.http?.status).toBe(x.status);
    }
    cluster.manifest.drops.forEach((d) => expect(findDrop(result.events, d)).toBeDefined());
    cluster.manifest.resets.forEach((r) => expect(findReset(result.events, r)).toBeDefined());
    cluster.manifest.dns.forEach((q) => expect(findDns(result.events, q)).toBeDefined());
  });

  it('does not mistake the copies for retransmissions', () => {
    // The copies were there, and were set aside.
    expect(Number(/"duplicatePackets":(\d+)/.exec(result.stderr)?.[1])).toBeGreaterThan(1000);
    const client = cluster.pod('client').ip;
    const flows = result.events.filter((e) => e.kind === 'flow' && e.src.ip === client && e.dst.port === PORTS.http);
    expect(flows.length).toBeGreaterThan(0);
    for (const f of flows) {
      expect(f.flow?.tcp?.retransmits).toBe(0);
      expect(f.flow?.tcp?.handshakeRttUs).toBeGreaterThan(0);
    }
  });
});
