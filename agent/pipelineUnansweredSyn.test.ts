// One client connection nobody answers is one drop in the agent's store, however the capture sees its SYNs.
import type { NetworkEvent, PolicyExplanation } from '../model/events';
import type { DecodedPacket } from './decode/packet';
import { PacketPipeline } from './pipeline';
import { EventStore } from './store/eventStore';
import { TcpConversation } from './testkit/tcpConversation';
import { defaultTrackerOptions } from './track/trackerOptions';

const client = { ip: '10.244.1.2', port: 43000 };
const server = { ip: '10.244.2.2', port: 8443 };
const TICK_US = 250_000;

const denied: PolicyExplanation = {
  allowed: false,
  egress: { allowed: true, policies: [], reason: 'no NetworkPolicy selects shop/frontend for egress' },
  ingress: { allowed: false, policies: ['shop/payments-allow-checkout'], reason: 'no rule allows app=frontend' },
};

// `run` as it works live: packets handed over when their capture delivers them, the wall-clock tick between them.
function runLive(
  pipeline: PacketPipeline,
  arrivals: Array<{ atUs: number; packet: DecodedPacket }>,
  untilUs: number
): void {
  const queue = [...arrivals].sort((a, b) => a.atUs - b.atUs);
  for (let now = queue[0].atUs; now <= untilUs; now += TICK_US) {
    while (queue.length > 0 && queue[0].atUs <= now) {
      pipeline.handlePacket(queue.shift()!.packet);
    }
    pipeline.advance(now);
  }
}

function agentWithStore(unansweredSynMs: number) {
  const store = new EventStore({ maxBytes: 1 << 20 });
  const pipeline = new PacketPipeline(defaultTrackerOptions({ unansweredSynMs, source: 'pcap' })).addSink((e) =>
    store.add(e)
  );
  const drops = (): NetworkEvent[] =>
    store.query({ fromUs: 0, toUs: Number.MAX_SAFE_INTEGER, kinds: new Set(['drop']), limit: 100 }).events;
  return { store, pipeline, drops };
}

describe('an unanswered connection in the live pipeline', () => {
  it('is one drop counting each SYN once when two captured interfaces both see it', () => {
    const { pipeline, drops } = agentWithStore(1500);
    const c = new TcpConversation(client, server);
    const synTimes = [10_000_000, 11_000_000, 13_000_000];
    // The pod's veth and the bridge each have their own tcpdump; the bridge's copies are handed over a little later.
    const arrivals = synTimes.flatMap((t) => {
      const syn = c.syn(t);
      return [
        { atUs: t + 1_000, packet: { ...syn, ifName: 'veth-frontend' } },
        { atUs: t + 40_000, packet: { ...syn, timeUs: t + 15, ifName: 'br0' } },
      ];
    });
    runLive(pipeline, arrivals, 20_000_000);
    expect(drops()).toEqual([
      expect.objectContaining({
        time: 10_000_000,
        endTime: 13_000_000,
        drop: {
          reason: 'unanswered_syn',
          verdict: 'dropped',
          attempts: 3,
          attemptTimes: [10_000_000, 11_000_000, 13_000_000],
        },
      }),
    ]);
    expect(pipeline.stats.duplicatePackets).toBe(3);
  });

  it('is updated in the store as attempts arrive after its report, keeping what enrichers added', () => {
    const { pipeline, drops } = agentWithStore(1500);
    pipeline.addEnricher({
      name: 'policy',
      enrich: (e) => {
        if (e.kind === 'drop' && e.drop) {
          e.drop.policy = denied;
          e.dst.pod = 'payments';
        }
      },
    });
    const c = new TcpConversation(client, server);
    // A backoff that outlasts the timeout: reported after the second SYN, then the third and fourth come.
    const arrivals = [10_000_000, 11_000_000, 13_000_000, 17_000_000].map((t) => ({ atUs: t, packet: c.syn(t) }));
    runLive(pipeline, arrivals, 12_750_000);
    expect(drops()).toEqual([
      expect.objectContaining({ endTime: 11_000_000, drop: expect.objectContaining({ attempts: 2 }) }),
    ]);
    runLive(pipeline, arrivals.slice(2), 20_000_000);
    const [drop, ...others] = drops();
    expect(others).toEqual([]);
    expect(drop).toMatchObject({
      time: 10_000_000,
      endTime: 17_000_000,
      dst: { pod: 'payments' },
      drop: { reason: 'unanswered_syn', attempts: 4, policy: denied },
    });
  });
});
