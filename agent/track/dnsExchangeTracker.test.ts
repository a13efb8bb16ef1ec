import type { NetworkEvent } from '../../model/events';
import { DnsExchangeTracker, type DnsPacketContext } from './dnsExchangeTracker';
import { defaultTrackerOptions } from './trackerOptions';
import { TrackerStats } from './trackerStats';

const client = { srcIp: '10.244.1.2', srcPort: 5353, dstIp: '10.244.1.10', dstPort: 53, transport: 'udp' as const };
const reply = { srcIp: client.dstIp, srcPort: 53, dstIp: client.srcIp, dstPort: 5353, transport: 'udp' as const };

function setup(maxPending = 100) {
  const events: NetworkEvent[] = [];
  const stats = new TrackerStats();
  const tracker = new DnsExchangeTracker(
    defaultTrackerOptions({ dnsTimeoutMs: 1000, maxPendingDnsQueries: maxPending }),
    (e) => events.push(e),
    stats
  );
  return { events, stats, tracker };
}

const at = (ctx: Omit<DnsPacketContext, 'timeUs'>, timeUs: number): DnsPacketContext => ({ ...ctx, timeUs });

describe('DnsExchangeTracker', () => {
  it('pairs a response with its query and measures the latency', () => {
    const { events, tracker } = setup();
    tracker.onMessage(
      { id: 7, isResponse: false, rcode: 'NOERROR', question: { name: 'api.shop.svc', type: 'A' }, answers: [] },
      at(client, 1000)
    );
    tracker.onMessage(
      {
        id: 7,
        isResponse: true,
        rcode: 'NOERROR',
        question: { name: 'api.shop.svc', type: 'A' },
        answers: ['10.96.0.7'],
      },
      at(reply, 1800)
    );
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'dns',
        time: 1000,
        endTime: 1800,
        src: { ip: client.srcIp, port: 5353 },
        dns: {
          id: 7,
          query: 'api.shop.svc',
          qtype: 'A',
          rcode: 'NOERROR',
          answers: ['10.96.0.7'],
          latencyUs: 800,
          answered: true,
        },
      }),
    ]);
    expect(tracker.pendingCount).toBe(0);
  });

  it('does not pair responses with a different id or from a different server', () => {
    const { events, tracker } = setup();
    tracker.onMessage(
      { id: 1, isResponse: false, rcode: 'NOERROR', question: { name: 'a', type: 'A' }, answers: [] },
      at(client, 1000)
    );
    tracker.onMessage({ id: 2, isResponse: true, rcode: 'NXDOMAIN', answers: [] }, at(reply, 1100));
    tracker.onMessage(
      { id: 1, isResponse: true, rcode: 'NOERROR', answers: [] },
      at({ ...reply, srcIp: '10.9.9.9' }, 1200)
    );
    expect(events.every((e) => e.dns?.latencyUs === undefined)).toBe(true);
    expect(tracker.pendingCount).toBe(1);
  });

  it('reports a query nobody answered once the timeout passes', () => {
    const { events, tracker } = setup();
    tracker.onMessage(
      { id: 9, isResponse: false, rcode: 'NOERROR', question: { name: 'gone.example', type: 'AAAA' }, answers: [] },
      at(client, 1_000_000)
    );
    tracker.advance(1_500_000);
    expect(events).toHaveLength(0);
    tracker.advance(2_000_000);
    expect(events[0].dns).toEqual({ id: 9, query: 'gone.example', qtype: 'AAAA', answers: [], answered: false });
  });

  it('bounds the pending queries and counts what it gave up', () => {
    const { stats, tracker } = setup(2);
    for (let id = 0; id < 5; id++) {
      tracker.onMessage({ id, isResponse: false, rcode: 'NOERROR', answers: [] }, at(client, id));
    }
    expect(tracker.pendingCount).toBe(2);
    expect(stats.dnsPendingEvicted).toBe(3);
  });
});
