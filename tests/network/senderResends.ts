// The truth about retransmissions, from a sender-side capture: every segment carrying bytes (or a SYN or FIN) the
// sender had already put on the wire, per connection.
import { execFileSync } from 'node:child_process';

// Resends per client port, of the segments `senderIp` sent in `captureFile`.
export function senderResends(captureFile: string, senderIp: string): Map<number, number> {
  const out = execFileSync(
    'tshark',
    [
      ...['-r', captureFile, '-n', '-Y', `tcp && ip.src == ${senderIp}`, '-T', 'fields'],
      ...['-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq', '-e', 'tcp.len'],
      ...['-e', 'tcp.flags.syn', '-e', 'tcp.flags.fin'],
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }
  );
  // Bytes each direction already put on the wire, as merged [start, end) ranges of relative sequence space.
  const sent = new Map<string, Array<[number, number]>>();
  const resends = new Map<number, number>();
  for (const line of out.split('\n')) {
    const [sport, dport, seqText, lenText, syn, fin] = line.split('\t');
    if (!seqText) {
      continue;
    }
    const flag = (v: string) => v === '1' || v === 'True';
    const segLen = Number(lenText) + (flag(syn) ? 1 : 0) + (flag(fin) ? 1 : 0);
    // The server listens on a low port; clients get ephemeral ones.
    const clientPort = Math.max(Number(sport), Number(dport));
    resends.set(clientPort, resends.get(clientPort) ?? 0);
    if (segLen === 0) {
      continue;
    }
    const key = `${sport}-${dport}`;
    const ranges = sent.get(key) ?? [];
    sent.set(key, ranges);
    const seq = Number(seqText);
    // A segment the sender's own capture shows out of order was still sent once: only bytes seen before are resent.
    if (ranges.some(([s, e]) => seq < e && s < seq + segLen)) {
      resends.set(clientPort, (resends.get(clientPort) ?? 0) + 1);
    }
    addRange(ranges, seq, seq + segLen);
  }
  return resends;
}

function addRange(ranges: Array<[number, number]>, start: number, end: number): void {
  let s = start;
  let e = end;
  const kept = ranges.filter(([a, b]) => {
    if (b < s || e < a) {
      return true;
    }
    s = Math.min(s, a);
    e = Math.max(e, b);
    return false;
  });
  kept.push([s, e]);
  ranges.splice(0, ranges.length, ...kept);
}

interface SegmentRow {
  port: number;
  seq: number;
  len: number;
  ipId: number;
}

function segments(captureFile: string, senderIp: string): SegmentRow[] {
  const out = execFileSync(
    'tshark',
    [
      ...['-r', captureFile, '-n', '-Y', `tcp.len > 0 && ip.src == ${senderIp}`, '-T', 'fields'],
      ...['-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq', '-e', 'tcp.len', '-e', 'ip.id'],
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }
  );
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [sport, dport, seq, len, ipId] = l.split('\t');
      return { port: Math.max(Number(sport), Number(dport)), seq: Number(seq), len: Number(len), ipId: Number(ipId) };
    });
}

// Originals (a segment's first copy) that reached the receiver's capture after a segment the sender sent later (by its
// counting IP ID) and with higher sequence numbers: the path reordered them. A resend arriving late is still a resend. Per client port.
export function reorderedOnThePath(
  senderCapture: string,
  receiverCapture: string,
  senderIp: string
): Map<number, number> {
  const originals = new Set<string>();
  const sentBytes = new Set<string>();
  for (const s of segments(senderCapture, senderIp)) {
    const key = `${s.port}/${s.seq}/${s.len}`;
    if (!sentBytes.has(key)) {
      sentBytes.add(key);
      originals.add(`${key}/${s.ipId}`);
    }
  }
  const newest = new Map<number, number>();
  const highest = new Map<number, number>();
  const reordered = new Map<number, number>();
  for (const s of segments(receiverCapture, senderIp)) {
    const last = newest.get(s.port);
    const behind = last !== undefined && ((s.ipId - last) & 0xffff) >= 0x8000;
    // Overtaken by a resend but still the next bytes in sequence: nothing a receiver's sequence numbers can show.
    const belowHighest = s.seq < (highest.get(s.port) ?? 0);
    if (behind && belowHighest && originals.has(`${s.port}/${s.seq}/${s.len}/${s.ipId}`)) {
      reordered.set(s.port, (reordered.get(s.port) ?? 0) + 1);
    }
    if (!behind) {
      newest.set(s.port, s.ipId);
    }
    highest.set(s.port, Math.max(highest.get(s.port) ?? 0, s.seq + s.len));
  }
  return reordered;
}
