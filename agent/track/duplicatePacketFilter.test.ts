import type { DecodedPacket } from '../decode/packet';
import { DuplicatePacketFilter } from './duplicatePacketFilter';
import { tcpPacket } from '../testkit/tcpConversation';
import { TCP_ACK } from './tcpFlags';

const a = { ip: '10.244.1.2', port: 40000 };
const b = { ip: '10.244.2.2', port: 8080 };

function seenOn(p: DecodedPacket, timeUs: number, ifIndex: number | undefined, outgoing: boolean): DecodedPacket {
  return { ...p, timeUs, ifIndex, outgoing };
}

describe('DuplicatePacketFilter', () => {
  const segment = tcpPacket(0, a, b, { seq: 1, ack: 1, flags: TCP_ACK, payload: 'data' });

  it('drops the copies of a forwarded packet seen on other interfaces', () => {
    const f = new DuplicatePacketFilter();
    expect(f.isDuplicate(seenOn(segment, 1000, 7, false))).toBe(false);
    expect(f.isDuplicate(seenOn(segment, 1005, 3, false))).toBe(true);
    expect(f.isDuplicate(seenOn(segment, 1010, 4, true))).toBe(true);
    expect(f.isDuplicate(seenOn(segment, 1012, 9, true))).toBe(true);
    expect(f.duplicates).toBe(3);
  });

  it('keeps a retransmission arriving again on the same interface', () => {
    const f = new DuplicatePacketFilter();
    expect(f.isDuplicate(seenOn(segment, 1000, 7, false))).toBe(false);
    expect(f.isDuplicate(seenOn(segment, 1200, 7, false))).toBe(false);
  });

  it('keeps a packet seen again after the window', () => {
    const f = new DuplicatePacketFilter();
    f.isDuplicate(seenOn(segment, 1000, 7, false));
    expect(f.isDuplicate(seenOn(segment, 10_000, 3, true))).toBe(false);
  });

  it('uses the direction when the capture names no interface, and ignores plain captures', () => {
    const f = new DuplicatePacketFilter();
    expect(f.isDuplicate(seenOn(segment, 1000, undefined, false))).toBe(false);
    expect(f.isDuplicate(seenOn(segment, 1001, undefined, true))).toBe(true);
    expect(f.isDuplicate(segment)).toBe(false);
    expect(f.isDuplicate(segment)).toBe(false);
  });

  it('drops the copy a second named interface hands over, whichever capture delivers first', () => {
    const f = new DuplicatePacketFilter();
    const on = (ifName: string, timeUs: number): DecodedPacket => ({ ...segment, timeUs, ifName });
    expect(f.isDuplicate(on('br0', 1020))).toBe(false);
    expect(f.isDuplicate(on('veth1', 1000))).toBe(true);
    // The client's resend a second later is seen once more on each interface.
    expect(f.isDuplicate(on('veth1', 1_001_000))).toBe(false);
    expect(f.isDuplicate(on('br0', 1_001_020))).toBe(true);
    expect(f.isDuplicate(on('br0', 2_001_020))).toBe(false);
    expect(f.duplicates).toBe(2);
  });
});
