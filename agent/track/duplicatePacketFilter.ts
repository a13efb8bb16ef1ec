// `tcpdump -i any` on a node sees a forwarded packet several times: in on a pod's veth, up the bridge, out on the
// next interface; so does a capture of several named interfaces (one tcpdump each). Linux cooked captures name the
// interface (v2) or at least the direction (v1), the others the interface they ran on: the same packet on another
// interface moments later is a copy, dropped and counted; on the same interface it is a real resend.
import type { DecodedPacket } from '../decode/packet';

// Copies follow within microseconds; a retransmission on the same path comes in on the interface it came before.
const WINDOW_US = 2_000;
const MAX_REMEMBERED = 65_536;

interface Sighting {
  timeUs: number;
  // Interfaces (index or name; without either, directions) the packet was seen on.
  where: Array<number | string>;
}

export class DuplicatePacketFilter {
  private readonly seen = new Map<string, Sighting>();
  duplicates = 0;

  isDuplicate(p: DecodedPacket): boolean {
    const where = p.ifIndex ?? p.ifName ?? (p.outgoing === undefined ? undefined : p.outgoing ? -2 : -1);
    if (where === undefined) {
      return false;
    }
    const key = signature(p);
    if (key === undefined) {
      return false;
    }
    const previous = this.seen.get(key);
    // Separate captures hand their copies over in no set order: the copy may carry the earlier timestamp.
    if (
      previous !== undefined &&
      Math.abs(p.timeUs - previous.timeUs) <= WINDOW_US &&
      !previous.where.includes(where)
    ) {
      previous.where.push(where);
      this.duplicates++;
      return true;
    }
    if (this.seen.size >= MAX_REMEMBERED) {
      this.expire(p.timeUs);
    }
    this.seen.set(key, { timeUs: p.timeUs, where: [where] });
    return false;
  }

  private expire(nowUs: number): void {
    for (const [key, s] of this.seen) {
      if (nowUs - s.timeUs > WINDOW_US) {
        this.seen.delete(key);
      }
    }
    // Still full of fresh entries: a burst beyond what any forwarding delay explains; start over.
    if (this.seen.size >= MAX_REMEMBERED) {
      this.seen.clear();
    }
  }
}

// What stays the same when a packet is forwarded (TTL and link headers change, these do not).
function signature(p: DecodedPacket): string | undefined {
  const length = p.payloadLength ?? p.payload.length;
  if (p.tcp) {
    const t = p.tcp;
    return `${p.srcIp}>${p.dstIp} t${t.srcPort}>${t.dstPort} ${t.seq} ${t.ack} ${t.flags} ${t.window} ${length}`;
  }
  if (p.udp) {
    const b = length >= 2 ? p.payload : undefined;
    return `${p.srcIp}>${p.dstIp} u${p.udp.srcPort}>${p.udp.dstPort} ${length} ${b ? (b[0] << 8) | b[1] : ''}`;
  }
  if (p.icmp) {
    return `${p.srcIp}>${p.dstIp} i${p.icmp.type}/${p.icmp.code} ${length}`;
  }
  return undefined;
}
