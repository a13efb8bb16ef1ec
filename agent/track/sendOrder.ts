// Whether a segment filling a sequence gap was sent after the segment that opened the gap (a resend) or before it
// (reordered on the way), told from the sender's IP ID and TCP timestamp when they say.
import type { SendOrderMarks, TcpDirection } from './tcpConnection';

// Consecutive segments of one connection whose IP IDs step up by at most this much count as a per-flow counter.
const IP_ID_STEP_LIMIT = 1024;
// Fewer in-order samples than this and the IP IDs are not trusted (random or zero IDs say nothing).
const IP_ID_MIN_SAMPLES = 3;

export type SendOrder = 'later' | 'earlier' | undefined;

function signed16(d: number): number {
  const v = d & 0xffff;
  return v >= 0x8000 ? v - 0x10000 : v;
}

function signed32(d: number): number {
  return d | 0;
}

// Called for every segment that advances the sender's highest sequence (sent in order).
export function noteInOrderIpId(dir: TcpDirection, ipId: number | undefined): void {
  if (ipId === undefined) {
    return;
  }
  if (dir.lastIpId !== undefined) {
    const step = signed16(ipId - dir.lastIpId);
    if (step > 0 && step <= IP_ID_STEP_LIMIT) {
      dir.ipIdCountsUp++;
    } else {
      dir.ipIdJumps++;
    }
  }
  dir.lastIpId = ipId;
}

function ipIdTrusted(dir: TcpDirection): boolean {
  return dir.ipIdCountsUp >= IP_ID_MIN_SAMPLES && dir.ipIdJumps * 8 <= dir.ipIdCountsUp;
}

export function sendOrder(dir: TcpDirection, filler: SendOrderMarks, opener: SendOrderMarks): SendOrder {
  if (filler.ipId !== undefined && opener.ipId !== undefined && ipIdTrusted(dir)) {
    const d = signed16(filler.ipId - opener.ipId);
    if (d !== 0 && Math.abs(d) <= IP_ID_STEP_LIMIT * 16) {
      return d > 0 ? 'later' : 'earlier';
    }
  }
  // Timestamps tick in milliseconds on most stacks: equal values say nothing.
  if (filler.tsVal !== undefined && opener.tsVal !== undefined) {
    const d = signed32(filler.tsVal - opener.tsVal);
    if (d !== 0) {
      return d > 0 ? 'later' : 'earlier';
    }
  }
  return undefined;
}
