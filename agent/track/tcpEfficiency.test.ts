// Goodput, RTT jitter, receive windows and the health class a flow reports, on scripted connections.
import type { NetworkEvent } from '../../model/events';
import { TcpConversation } from '../testkit/tcpConversation';
import { TcpConnectionTracker } from './tcpConnectionTracker';
import { defaultTrackerOptions } from './trackerOptions';
import { TrackerStats } from './trackerStats';

const client = { ip: '10.244.1.2', port: 40000 };
const server = { ip: '10.244.2.3', port: 8080 };

function flowTcp(c: TcpConversation) {
  const events: NetworkEvent[] = [];
  const tracker = new TcpConnectionTracker(defaultTrackerOptions(), (e) => events.push(e), new TrackerStats());
  c.packets.forEach((p) => tracker.handle(p));
  tracker.flush(c.packets[c.packets.length - 1].timeUs);
  return events.find((e) => e.kind === 'flow')!.flow!.tcp!;
}

describe('connection efficiency', () => {
  it('counts resent bytes out of the goodput and classes the connection by its retransmission rate', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 100);
    // The same 1000 bytes twice (the first copy does not advance the sequence), the second after an RTO-like pause.
    c.clientSends(1_001_000, 'a'.repeat(1000), false);
    c.clientSends(1_300_000, 'a'.repeat(1000));
    c.serverAcks(1_300_100);
    c.serverSends(1_300_200, 'b'.repeat(500));
    c.clientAcks(1_300_300);
    c.close(1_300_400);
    const tcp = flowTcp(c);
    expect(tcp).toMatchObject({ retransmits: 1, payloadBytes: 2500, retransmittedBytes: 1000, goodputBytes: 1500 });
    // 1 of 11 packets: severe.
    expect(tcp.retransmitRate).toBeCloseTo(1 / 11);
    expect(tcp.health).toBe('severe');
  });

  it("reports the RTT samples' standard deviation with their count", () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 100);
    for (const [at, rtt] of [
      [1_010_000, 100],
      [1_020_000, 300],
      [1_030_000, 200],
    ]) {
      c.clientSends(at, 'x'.repeat(100));
      c.serverAcks(at + rtt);
    }
    c.close(1_040_000);
    const tcp = flowTcp(c);
    // Population standard deviation of 100, 300 and 200 µs: √(20000 / 3) ≈ 81.6.
    expect(tcp).toMatchObject({ rttSamples: 3, rttJitterUs: 82, rttAvgUs: 200, health: 'healthy' });
  });

  it('scales the advertised windows by the negotiated shift', () => {
    const c = new TcpConversation(client, server);
    c.syn(1_000_000).tcp!.options = { windowScale: 7 };
    c.synAck(1_000_050).tcp!.options = { windowScale: 9 };
    c.ack(1_000_100).tcp!.window = 512;
    c.clientSends(1_000_200, 'x', true, 1024);
    c.serverAcks(1_000_300, 100);
    const tcp = flowTcp(c);
    // The client's windows (512, 1024) × 2^7, the server's 100 × 2^9.
    expect(tcp.receiveWindow).toEqual({ client: 768 * 128, server: 100 * 512 });
  });
});
