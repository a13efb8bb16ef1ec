// Service-graph edges folded from events: goodput, pooled RTT jitter and the TCP health class of each edge.
import type { NetworkEvent, TcpHealth } from './events';
import { buildTopology } from './topology';

const client = { ip: '10.244.1.2', namespace: 'shop', pod: 'frontend-1' };
const server = { ip: '10.244.2.3', namespace: 'shop', pod: 'payments-1' };

function closedFlow(packets: number, tcp: Partial<TcpHealth>, dst = server): NetworkEvent {
  return {
    kind: 'flow',
    time: 1_000,
    endTime: 2_000,
    transport: 'tcp',
    src: { ...client, port: 40000 },
    dst: { ...dst, port: 8080 },
    source: 'pcap',
    flow: {
      state: 'closed',
      toServer: { bytes: 10_000, packets: packets / 2 },
      toClient: { bytes: 10_000, packets: packets / 2 },
      tcp: { retransmits: 0, zeroWindow: 0, lifecycle: 31, ...tcp },
    },
  };
}

describe('buildTopology', () => {
  it('sums goodput and payload, pools the RTT samples of every connection and classes the retransmission rate', () => {
    const [edge] = buildTopology([
      closedFlow(100, {
        retransmits: 2,
        payloadBytes: 9000,
        retransmittedBytes: 1000,
        goodputBytes: 8000,
        rttSamples: 2,
        rttAvgUs: 1000,
        rttJitterUs: 100,
      }),
      closedFlow(100, {
        retransmits: 1,
        payloadBytes: 5000,
        goodputBytes: 5000,
        rttSamples: 2,
        rttAvgUs: 3000,
        rttJitterUs: 100,
      }),
      // A live update is cumulative: only closing reports count.
      {
        ...closedFlow(100, { retransmits: 50, payloadBytes: 1, goodputBytes: 1 }),
        flow: { ...closedFlow(100, {}).flow!, state: 'active' },
      },
    ]);
    expect(edge).toMatchObject({ flows: 2, packets: 200, retransmits: 3, payloadBytes: 14_000, goodputBytes: 13_000 });
    // Samples 900, 1100, 2900, 3100: mean 2000, standard deviation √(1_010_000).
    expect(edge.rttSpread!.samples).toBe(4);
    expect(edge.rttSpread!.meanUs).toBe(2000);
    expect(edge.rttSpread!.jitterUs).toBeCloseTo(Math.sqrt(1_010_000), 6);
    // 3 of 200 packets: 1.5 %.
    expect(edge.health).toBe('degraded');
  });

  it('classes 0.9 % healthy and 5 % severe; no packets, no RTT samples and no goodput report give null and zero', () => {
    const other = { ...server, ip: '10.244.3.4', pod: 'ledger-1' };
    const third = { ...server, ip: '10.244.4.5', pod: 'cart-1' };
    const edges = buildTopology([
      closedFlow(1000, { retransmits: 9 }),
      closedFlow(100, { retransmits: 5 }, other),
      closedFlow(0, {}, third),
    ]);
    expect(edges.map((e) => [e.dst.pod, e.health, e.rttSpread, e.goodputBytes, e.payloadBytes])).toEqual([
      ['payments-1', 'healthy', null, 0, 0],
      ['ledger-1', 'severe', null, 0, 0],
      ['cart-1', null, null, 0, 0],
    ]);
  });
});
