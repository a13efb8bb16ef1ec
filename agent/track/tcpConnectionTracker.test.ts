import { LIFECYCLE, type NetworkEvent } from '../../model/events';
import { TcpConversation, tcpPacket } from '../testkit/tcpConversation';
import { TcpConnectionTracker } from './tcpConnectionTracker';
import { TCP_ACK, TCP_FIN, TCP_SYN } from './tcpFlags';
import { defaultTrackerOptions, type TrackerOptions } from './trackerOptions';
import { TrackerStats } from './trackerStats';

const client = { ip: '10.244.1.2', port: 40000 };
const server = { ip: '10.244.1.3', port: 8080 };

function track(
  packets: Array<ReturnType<TcpConversation['syn']>>,
  options: Partial<TrackerOptions> = {},
  endUs?: number
) {
  const events: NetworkEvent[] = [];
  const stats = new TrackerStats();
  const tracker = new TcpConnectionTracker(defaultTrackerOptions(options), (e) => events.push(e), stats);
  for (const p of packets) {
    tracker.handle(p);
  }
  tracker.flush(endUs ?? packets[packets.length - 1].timeUs);
  return { events, stats, tracker };
}

describe('TcpConnectionTracker', () => {
  it('measures the handshake and reports a closed flow with bytes each way', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 300);
    c.clientSends(1_000_400, 'GET / HTTP/1.1\r\n\r\n');
    c.serverSends(1_000_900, 'HTTP/1.1 200 OK\r\n\r\n');
    c.clientAcks(1_001_000);
    c.close(1_002_000);
    const { events } = track(c.packets);
    expect(events).toHaveLength(1);
    const flow = events[0];
    expect(flow.kind).toBe('flow');
    expect(flow.src).toEqual(client);
    expect(flow.dst).toEqual(server);
    expect(flow.flow?.state).toBe('closed');
    expect(flow.flow?.tcp?.handshakeRttUs).toBe(300);
    expect(flow.flow?.tcp?.rttMinUs).toBe(100);
    expect(flow.flow?.tcp?.rttMaxUs).toBe(500);
    expect(flow.flow?.toServer.packets).toBe(6);
    expect(flow.flow?.toClient.packets).toBe(3);
    const all = LIFECYCLE.SYN | LIFECYCLE.SYN_ACK | LIFECYCLE.ACK | LIFECYCLE.DATA | LIFECYCLE.FIN;
    expect(flow.flow?.tcp?.lifecycle).toBe(all);
    expect(flow.time).toBe(1_000_000);
    expect(flow.endTime).toBe(1_002_020);
  });

  it('reports a SYN retransmitted without answer as an unanswered_syn drop with its attempts', () => {
    const c = new TcpConversation(client, server);
    c.syn(1_000_000);
    c.syn(2_000_000);
    c.syn(4_000_000);
    const { events } = track(c.packets, {}, 20_000_000);
    const drop = events.find((e) => e.kind === 'drop');
    expect(drop?.drop).toEqual({
      reason: 'unanswered_syn',
      verdict: 'dropped',
      attempts: 3,
      attemptTimes: [1_000_000, 2_000_000, 4_000_000],
    });
    expect(drop?.time).toBe(1_000_000);
    expect(drop?.endTime).toBe(4_000_000);
    expect(events.find((e) => e.kind === 'flow')?.flow?.state).toBe('unanswered');
  });

  it('expires an unanswered SYN once the configured time passes without another attempt', () => {
    const events: NetworkEvent[] = [];
    const tracker = new TcpConnectionTracker(
      defaultTrackerOptions({ unansweredSynMs: 500 }),
      (e) => events.push(e),
      new TrackerStats()
    );
    tracker.handle(new TcpConversation(client, server).syn(1_000_000));
    tracker.advance(1_400_000);
    expect(events).toHaveLength(0);
    tracker.advance(1_600_000);
    expect(events.map((e) => e.kind)).toEqual(['drop', 'flow']);
    expect(events[0].drop?.attempts).toBe(1);
  });

  it('publishes attempts after the report as a newer version of the same drop, leaving the published one as it was', () => {
    const events: NetworkEvent[] = [];
    const tracker = new TcpConnectionTracker(
      defaultTrackerOptions({ unansweredSynMs: 3000 }),
      (e) => events.push(e),
      new TrackerStats()
    );
    const c = new TcpConversation(client, server);
    tracker.handle(c.syn(1_000_000));
    tracker.handle(c.syn(2_000_000));
    tracker.advance(5_500_000);
    expect(events.map((e) => e.kind)).toEqual(['drop', 'flow']);
    expect(events[0].drop?.attempts).toBe(2);
    const published = JSON.stringify(events);
    tracker.handle(c.syn(6_000_000));
    tracker.advance(9_500_000);
    expect(JSON.stringify(events.slice(0, 2))).toBe(published);
    expect(events.map((e) => [e.kind, e.id, e.revision])).toEqual([
      ['drop', events[0].id, 0],
      ['flow', events[1].id, 0],
      ['drop', events[0].id, 1],
      ['flow', events[1].id, 1],
    ]);
    expect(events[2]).toMatchObject({ time: 1_000_000, endTime: 6_000_000, drop: { attempts: 3 } });
    // The newer version keeps the earlier attempts' times and adds the later one's.
    expect(events[2].drop?.attemptTimes).toEqual([1_000_000, 2_000_000, 6_000_000]);
    expect(events[3]).toMatchObject({ time: 1_000_000, flow: { toServer: { packets: 3 } } });
    expect(events[3].flow?.tcp?.retransmits).toBe(2);
    // A new connection on the same ports (new ISN) is a new story.
    tracker.handle(new TcpConversation(client, server, 777).syn(10_000_000));
    tracker.advance(14_000_000);
    const drops = events.filter((e) => e.kind === 'drop');
    expect(new Set(drops.map((e) => e.id)).size).toBe(2);
  });

  // A client backing off 1, 2, 4… s past the unanswered-SYN timeout: each attempt after the first report is a newer
  // version, and each version counts every SYN so far, never only the last one's packet and bytes.
  it('counts the packets and bytes of every attempt in each newer version of an unanswered drop', () => {
    const events: NetworkEvent[] = [];
    const options = defaultTrackerOptions({ unansweredSynMs: 1000 });
    const tracker = new TcpConnectionTracker(options, (e) => events.push(e), new TrackerStats());
    const c = new TcpConversation(client, server);
    let t = 1_000_000;
    for (let i = 0; i < 11; i++) {
      tracker.handle(c.syn(t));
      tracker.advance(t + 1_500_000);
      t += 2_000_000;
    }
    tracker.flush(t);
    const flows = events.filter((e) => e.kind === 'flow');
    const drops = events.filter((e) => e.kind === 'drop');
    const last = flows[flows.length - 1];
    expect(drops[drops.length - 1].drop?.attempts).toBe(11);
    expect(last.flow?.toServer).toEqual({ packets: 11, bytes: 11 * 54 });
    expect(last.flow?.tcp?.retransmits).toBe(10);
    for (const [a, b] of flows.slice(1).map((f, i) => [flows[i], f])) {
      expect(b.flow!.toServer.packets).toBeGreaterThanOrEqual(a.flow!.toServer.packets);
      expect(b.revision).toBe(a.revision! + 1);
    }
  });

  it('does not call a lone SYN at the end of a capture a drop', () => {
    const c = new TcpConversation(client, server);
    c.syn(1_000_000);
    const { events } = track(c.packets, {}, 1_100_000);
    expect(events.map((e) => e.kind)).toEqual(['flow']);
  });

  it('reports a RST answering a SYN as a refused reset, not a drop', () => {
    const c = new TcpConversation(client, server);
    c.syn(1_000_000);
    c.serverRefuses(1_000_050);
    const { events } = track(c.packets);
    expect(events.map((e) => e.kind)).toEqual(['reset', 'flow']);
    expect(events[0].drop?.reason).toBe('connection_refused');
    expect(events[0].flow?.tcp?.resetBy).toBe('server');
    expect(events[1].flow?.state).toBe('reset');
  });

  it('counts a segment sent again as a retransmission and one filling a fresh gap as out-of-order', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const first = c.clientSends(1_001_000, 'aaaa');
    c.serverAcks(1_001_200);
    c.packets.push({ ...first, timeUs: 1_300_000 });
    const skipped = c.clientSends(1_400_000, 'bbbb', true);
    const after = c.clientSends(1_400_010, 'cccc');
    c.packets.splice(c.packets.indexOf(skipped), 1);
    c.packets.splice(c.packets.indexOf(after) + 1, 0, { ...skipped, timeUs: 1_400_020 });
    const { events } = track(c.packets);
    const tcp = events[0].flow?.tcp;
    expect(tcp?.retransmits).toBe(1);
    expect(tcp?.outOfOrder).toBe(1);
  });

  // The last ACK of the close was lost after the capture point: the peer resends its FIN after its retransmission
  // timeout. That resend belongs to the closed connection (tshark flags it too), not to a new one.
  it('counts a FIN resent after the close as a retransmission of the same connection', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'GET / HTTP/1.1\r\n\r\n');
    c.serverSends(1_002_000, 'HTTP/1.1 200 OK\r\n\r\n');
    c.close(1_003_000);
    const finAgain = { seq: c.serverSeq - 1, ack: c.clientSeq, flags: TCP_FIN | TCP_ACK };
    c.packets.push(tcpPacket(1_230_000, server, client, finAgain));
    c.packets.push(tcpPacket(1_230_050, client, server, { seq: c.clientSeq, ack: c.serverSeq, flags: TCP_ACK }));
    const { events } = track(c.packets, {}, 10_000_000);
    expect(events).toHaveLength(1);
    expect(events[0].flow?.state).toBe('closed');
    expect(events[0].flow?.tcp).toMatchObject({ retransmits: 1, outOfOrder: 0 });
    expect(events[0].endTime).toBe(1_230_050);
  });

  it('reports a closed connection once it has lingered, and a reused port pair as a new connection', () => {
    const events: NetworkEvent[] = [];
    const tracker = new TcpConnectionTracker(defaultTrackerOptions(), (e) => events.push(e), new TrackerStats());
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.close(1_001_000);
    c.packets.forEach((p) => tracker.handle(p));
    tracker.advance(1_500_000);
    expect(events).toHaveLength(0);
    tracker.advance(5_000_000);
    expect(events.map((e) => e.flow?.state)).toEqual(['closed']);
    const again = new TcpConversation(client, server, 90_000, 70_000);
    again.handshake(5_100_000);
    again.close(5_101_000);
    again.packets.forEach((p) => tracker.handle(p));
    tracker.flush(5_200_000);
    expect(events.map((e) => e.flow?.state)).toEqual(['closed', 'closed']);
  });

  it('counts the resend of data lost before the capture point, revealed by a later bare ACK', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'GET / HTTP/1.1\r\n\r\n');
    const lost = c.serverSends(1_002_000, 'HTTP/1.1 200 OK\r\n\r\n');
    c.packets.pop();
    c.serverAcks(1_003_000);
    c.packets.push({ ...lost, timeUs: 1_200_000 });
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp).toMatchObject({ retransmits: 1, outOfOrder: 0 });
  });

  it('recognises a fast retransmission after duplicate ACKs', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const lost = c.clientSends(1_001_000, 'x'.repeat(100));
    c.clientSends(1_001_010, 'y'.repeat(100));
    c.clientSends(1_001_020, 'z'.repeat(100));
    c.clientSends(1_001_030, 'w'.repeat(100));
    const dupAck = lost.tcp!.seq;
    c.serverAcks(1_001_100, 65535, dupAck);
    c.serverAcks(1_001_110, 65535, dupAck);
    c.serverAcks(1_001_120, 65535, dupAck);
    c.serverAcks(1_001_130, 65535, dupAck);
    c.packets.push({ ...lost, timeUs: 1_010_000 });
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp?.retransmits).toBe(1);
    expect(events[0].flow?.tcp?.fastRetransmits).toBe(1);
  });

  it('calls a gap filled right after duplicate ACKs for it a fast retransmission, not reordering', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const missed = c.clientSends(1_001_000, 'x'.repeat(100));
    c.packets.pop();
    c.clientSends(1_001_010, 'y'.repeat(100));
    c.serverAcks(1_001_020, 65535, missed.tcp!.seq);
    c.serverAcks(1_001_030, 65535, missed.tcp!.seq);
    c.packets.push({ ...missed, timeUs: 1_001_040 });
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp).toMatchObject({ retransmits: 1, fastRetransmits: 1, outOfOrder: 0 });
  });

  it('does not call a retransmission after a single duplicate ACK fast', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const lost = c.clientSends(1_001_000, 'x'.repeat(100));
    c.clientSends(1_001_010, 'y'.repeat(100));
    // The handshake already acknowledged this sequence, so this is the one duplicate.
    c.serverAcks(1_001_100, 65535, lost.tcp!.seq);
    c.packets.push({ ...lost, timeUs: 1_300_000 });
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp).toMatchObject({ retransmits: 1, fastRetransmits: 0 });
  });

  it('counts a zero window once per stall', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'data');
    c.serverAcks(1_001_100, 0);
    c.serverAcks(1_001_200, 0);
    c.serverAcks(1_001_300, 1000);
    c.serverAcks(1_001_400, 0);
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp?.zeroWindow).toBe(2);
  });

  it('counts the sender filling the advertised window', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.serverAcks(1_000_200, 100);
    c.clientSends(1_000_300, 'x'.repeat(60));
    c.clientSends(1_000_310, 'y'.repeat(40));
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp?.windowFull).toBe(1);
  });

  it('follows sequence numbers across the 2^32 wrap without inventing retransmissions', () => {
    const c = new TcpConversation(client, server, 0xffffff00, 0xfffffff0);
    c.handshake(1_000_000);
    for (let i = 0; i < 10; i++) {
      c.clientSends(1_001_000 + i * 100, 'q'.repeat(64));
      c.serverAcks(1_001_050 + i * 100);
    }
    const { events } = track(c.packets);
    expect(events[0].flow?.tcp?.retransmits).toBe(0);
    expect(events[0].flow?.tcp?.outOfOrder).toBe(0);
    expect(events[0].flow?.tcp?.rttMinUs).toBe(50);
  });

  it('evicts the oldest connection when the table is full and counts it', () => {
    const packets = [1, 2, 3].map((i) =>
      tcpPacket(1_000_000 + i, { ip: '10.0.0.1', port: 40000 + i }, server, { seq: 1, flags: TCP_SYN })
    );
    const events: NetworkEvent[] = [];
    const stats = new TrackerStats();
    const tracker = new TcpConnectionTracker(
      defaultTrackerOptions({ maxConnections: 2 }),
      (e) => events.push(e),
      stats
    );
    packets.forEach((p) => tracker.handle(p));
    expect(tracker.size).toBe(2);
    expect(stats.connectionsEvicted).toBe(1);
    expect(events[0].src.port).toBe(40001);
  });

  it('emits periodic cumulative updates for a long connection', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(2_000_000, 'a');
    c.clientSends(3_500_000, 'b');
    const { events } = track(c.packets, { flowUpdateIntervalMs: 1000 });
    expect(events.filter((e) => e.flow?.state === 'active').length).toBeGreaterThanOrEqual(1);
  });

  it('starts tracking mid-connection with the service port as the server', () => {
    const c = new TcpConversation(client, server);
    c.serverSends(1_000_000, 'late');
    const { events } = track(c.packets);
    expect(events[0].src).toEqual(client);
    expect(events[0].flow?.state).toBe('established');
  });
});
