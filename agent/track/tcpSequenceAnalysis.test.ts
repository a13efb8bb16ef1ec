import type { DecodedPacket } from '../decode/packet';
import { TcpConversation, tcpPacket } from '../testkit/tcpConversation';
import { TCP_ACK } from './tcpFlags';
import { TcpConnectionTracker } from './tcpConnectionTracker';
import { defaultTrackerOptions } from './trackerOptions';
import { TrackerStats } from './trackerStats';
import type { NetworkEvent } from '../../model/events';

const client = { ip: '10.244.1.2', port: 40000 };
const server = { ip: '10.244.2.3', port: 8080 };

function tcpCounters(packets: DecodedPacket[]) {
  const events: NetworkEvent[] = [];
  const tracker = new TcpConnectionTracker(defaultTrackerOptions(), (e) => events.push(e), new TrackerStats());
  packets.forEach((p) => tracker.handle(p));
  tracker.flush(packets[packets.length - 1].timeUs);
  const tcp = events.find((e) => e.kind === 'flow')?.flow?.tcp;
  return { retransmits: tcp?.retransmits, outOfOrder: tcp?.outOfOrder };
}

// The client sends five segments with counting IP IDs; the second one is held back (or lost) and arrives at `fillAtUs`.
function gapFilledLater(rttUs: number, fillAtUs: number, fillerIpId: number | undefined, options = { ipIds: true }) {
  const c = new TcpConversation(client, server);
  c.handshake(1_000_000, rttUs);
  const id = (p: DecodedPacket, ipId: number | undefined) => Object.assign(p, { ipId: options.ipIds ? ipId : 0 });
  id(c.clientSends(1_000_990, 'a'.repeat(100)), 10);
  id(c.clientSends(1_001_000, 'a'.repeat(100)), 11);
  const held = c.clientSends(1_001_010, 'b'.repeat(100));
  c.packets.pop();
  id(c.clientSends(1_001_020, 'c'.repeat(100)), 13);
  id(c.clientSends(1_001_030, 'd'.repeat(100)), 14);
  c.packets.push({ ...held, timeUs: fillAtUs, ipId: options.ipIds ? fillerIpId : 0 } as DecodedPacket);
  return c.packets;
}

describe('TcpSequenceAnalysis: a gap filled by a resend or by a reordered segment', () => {
  // 60 µs between pods: the resend follows two round trips after the gap, far inside any fixed millisecond floor.
  it('calls a gap filled after a round trip on a short path a retransmission', () => {
    const packets = gapFilledLater(60, 1_001_150, undefined, { ipIds: false });
    expect(tcpCounters(packets)).toEqual({ retransmits: 1, outOfOrder: 0 });
  });

  it('calls a gap filled well within the round trip reordering', () => {
    const packets = gapFilledLater(2000, 1_001_100, undefined, { ipIds: false });
    expect(tcpCounters(packets)).toEqual({ retransmits: 0, outOfOrder: 1 });
  });

  it('trusts the IP ID over timing: sent after its neighbours is a resend, however soon it arrives', () => {
    expect(tcpCounters(gapFilledLater(2000, 1_001_040, 15))).toEqual({ retransmits: 1, outOfOrder: 0 });
  });

  it('trusts the IP ID over timing: sent before its neighbours is reordering, however late it arrives', () => {
    expect(tcpCounters(gapFilledLater(60, 1_005_000, 12))).toEqual({ retransmits: 0, outOfOrder: 1 });
  });

  it('falls back to the TCP timestamp when IP IDs are zero', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 60);
    const ts = (p: DecodedPacket, tsVal: number) => {
      p.tcp!.options = { tsVal, tsEcr: 1 };
      return Object.assign(p, { ipId: 0 });
    };
    ts(c.clientSends(1_001_000, 'a'.repeat(100)), 500);
    const held = c.clientSends(1_001_010, 'b'.repeat(100));
    c.packets.pop();
    ts(c.clientSends(1_001_020, 'c'.repeat(100)), 501);
    const late = { ...held, timeUs: 1_004_000, tcp: { ...held.tcp!, options: { tsVal: 500, tsEcr: 1 } } };
    c.packets.push(late);
    expect(tcpCounters(c.packets)).toEqual({ retransmits: 0, outOfOrder: 1 });
  });
});

describe('TcpSequenceAnalysis: both copies of a segment arrive', () => {
  // Seen downstream of a path that reordered: the sender resent a segment it thought lost, the resend filled the gap,
  // then the original arrived. The sender sent it twice: one retransmission, the late original is reordering.
  it('counts the original that arrives after its resend as out-of-order, not a second resend', () => {
    const packets = gapFilledLater(60, 1_001_200, 15);
    const held = packets[packets.length - 1];
    packets.push({ ...held, timeUs: 1_001_210, ipId: 12 } as DecodedPacket);
    expect(tcpCounters(packets)).toEqual({ retransmits: 1, outOfOrder: 1 });
  });

  it('counts a copy sent after the one that filled the gap as another resend', () => {
    const packets = gapFilledLater(60, 1_001_200, 15);
    const held = packets[packets.length - 1];
    packets.push({ ...held, timeUs: 1_001_400, ipId: 16 } as DecodedPacket);
    expect(tcpCounters(packets)).toEqual({ retransmits: 2, outOfOrder: 0 });
  });
});

describe('TcpSequenceAnalysis: a hole of several segments filled out of order', () => {
  // Seven segments sent with IP IDs 10..16; the path delivers three, then the last, then the hole's three shuffled
  // (late enough that timing alone would call them resent: the IP IDs decide).
  function shuffled(order: number[], ackedFirst = false) {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 60);
    const segment = (i: number, at: number) =>
      Object.assign(
        tcpPacket(at, client, server, { seq: 1001 + i * 100, ack: 5001, flags: TCP_ACK, payload: 'x'.repeat(100) }),
        { ipId: 10 + i }
      );
    [0, 1, 2, 6, ...order].forEach((i, n) => {
      c.packets.push(segment(i, 1_001_000 + n * 100));
      if (ackedFirst && n === 3) {
        // The server acknowledges everything: it received the middle through a way the capture does not see.
        c.packets.push(tcpPacket(1_001_350, server, client, { seq: 5001, ack: 1701, flags: TCP_ACK }));
      }
    });
    return c.packets;
  }

  it('finds each late segment in what is left of the hole, whichever part arrives first', () => {
    expect(tcpCounters(shuffled([4, 3, 5]))).toEqual({ retransmits: 0, outOfOrder: 3 });
    expect(tcpCounters(shuffled([5, 3, 4]))).toEqual({ retransmits: 0, outOfOrder: 3 });
  });

  it('forgets a hole the receiver acknowledged: a copy arriving after that was sent again', () => {
    expect(tcpCounters(shuffled([4, 3, 5], true))).toEqual({ retransmits: 3, outOfOrder: 0 });
  });
});

describe('TcpSequenceAnalysis: a capture with a short snap length', () => {
  // `tcpdump -s 96`: each segment's bytes are cut after the headers, but its sequence space is the IP length's.
  it('tracks sequence space by the bytes on the wire, so a reordered segment is still found in its gap', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000, 60);
    const cut = (i: number) => {
      const p = tcpPacket(1_001_000 + i * 10, client, server, {
        seq: 1001 + i * 1000,
        ack: 5001,
        flags: TCP_ACK,
        payload: 'x'.repeat(40),
      });
      return Object.assign(p, { ipId: 100 + i, wirePayloadLength: 1000 });
    };
    const order = [...Array.from({ length: 10 }, (_, i) => i), 11, 10, 12];
    order.forEach((i) => c.packets.push(cut(i)));
    expect(tcpCounters(c.packets)).toEqual({ retransmits: 0, outOfOrder: 1 });
  });
});
