import type { NetworkEvent } from '../../model/events';
import { latestVersions } from '../../model/eventVersions';
import { TcpConversation, tcpPacket } from '../testkit/tcpConversation';
import { TcpConnectionTracker } from './tcpConnectionTracker';
import { TCP_ACK, TCP_RST } from './tcpFlags';
import { defaultTrackerOptions } from './trackerOptions';
import { TrackerStats } from './trackerStats';
import type { DecodedPacket } from '../decode/packet';

const client = { ip: '10.244.1.2', port: 1046 };
const server = { ip: '10.244.2.3', port: 6346 };

function track(packets: DecodedPacket[]): NetworkEvent[] {
  const events: NetworkEvent[] = [];
  const tracker = new TcpConnectionTracker(defaultTrackerOptions(), (e) => events.push(e), new TrackerStats());
  packets.forEach((p) => tracker.handle(p));
  tracker.flush(packets[packets.length - 1].timeUs + 10_000_000);
  return events;
}

describe('TCP resets', () => {
  // Windows retries a refused connection with the same ISN about every half second.
  it('counts SYNs retried after a RST with the same ISN as attempts of one refused connection', () => {
    const c = new TcpConversation(client, server);
    for (let i = 0; i < 3; i++) {
      c.syn(1_000_000 + i * 500_000);
      c.serverRefuses(1_000_100 + i * 500_000);
    }
    const events = track(c.packets);
    const latest = latestVersions(events);
    expect(latest.map((e) => e.kind)).toEqual(['reset', 'flow']);
    expect(latest[0]).toMatchObject({
      time: 1_000_000,
      drop: { reason: 'connection_refused', attempts: 3 },
      revision: 2,
    });
    expect(latest[1].flow).toMatchObject({ state: 'reset', toServer: { packets: 3 }, toClient: { packets: 3 } });
    // Each version was published as it was; none was changed afterwards.
    expect(events.filter((e) => e.kind === 'reset').map((e) => e.drop?.attempts)).toEqual([1, 2, 3]);
  });

  it('reports a RST with nothing before it in the capture', () => {
    const events = track([tcpPacket(1_000_000, server, client, { seq: 777, ack: 1, flags: TCP_RST | TCP_ACK })]);
    expect(events.map((e) => [e.kind, e.drop?.reason])).toEqual([
      ['reset', 'connection_reset'],
      ['flow', undefined],
    ]);
  });

  it('keeps packets that follow a RST on the reset connection instead of opening another', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'GET / HTTP/1.1\r\n\r\n');
    c.packets.push(
      tcpPacket(1_002_000, client, server, { seq: c.clientSeq, ack: c.serverSeq, flags: TCP_RST | TCP_ACK })
    );
    c.serverSends(1_002_100, 'HTTP/1.1 200 OK\r\n\r\n');
    c.packets.push(tcpPacket(1_002_200, client, server, { seq: c.clientSeq, flags: TCP_RST }));
    const events = track(c.packets);
    expect(events.map((e) => e.kind)).toEqual(['reset', 'flow']);
    expect(events[1].flow?.toClient.packets).toBe(2);
  });
});
