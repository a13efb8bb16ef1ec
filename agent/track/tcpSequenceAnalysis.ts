// What one direction's sequence and acknowledgement numbers say about a connection's health: RTT samples,
// retransmissions (fast or not), out-of-order segments, data lost before the capture point, windows.
import type { TcpHeader } from '../decode/packet';
import { seqAdd, seqDiff, seqLeq, seqLt } from './seq';
import { noteInOrderIpId, sendOrder } from './sendOrder';
import {
  MAX_GAPS_PER_DIRECTION,
  type SendOrderMarks,
  type SeqGap,
  type TcpConnection,
  type TcpDirection,
} from './tcpConnection';
import { TCP_FIN, TCP_RST, TCP_SYN } from './tcpFlags';
import type { TrackerStats } from './trackerStats';

// Without an RTT measured, a gap filled sooner than this was reordered, not retransmitted.
const REORDER_WINDOW_US = 3000;
// A resend answers feedback that takes a round trip, so a gap filled within this share of the path's RTT was
// reordered; never more than the RTT itself, however short the path.
const REORDER_RTT_SHARE = 0.5;
// Gap fills remembered per direction, so a late original of bytes a resend already filled is told apart.
const MAX_RECENT_FILLS = 16;
// Classic fast retransmit waits for three duplicate ACKs; with SACK (RFC 6675) Linux often goes after two, and
// Wireshark's analysis uses two as well, so a resend of the duplicated ACK's sequence after two counts as fast.
const FAST_RETRANSMIT_DUP_ACKS = 2;
// A resend long after the duplicates is the retransmission timer firing, not fast retransmit.
const FAST_RETRANSMIT_WITHIN_US = 20_000;

// 2 ** n for every window scale a header can carry: `**` on a variable exponent goes through a slow pow call.
const POW2 = Float64Array.from({ length: 256 }, (_, n) => 2 ** n);

export class TcpSequenceAnalysis {
  constructor(private readonly stats: TrackerStats) {}

  // `dir` sent this ACK about what `peer` sent.
  onAck(
    conn: TcpConnection,
    dir: TcpDirection,
    peer: TcpDirection,
    tcp: TcpHeader,
    payloadLength: number,
    now: number
  ): void {
    const ack = tcp.ack;
    if (peer.timedSeqEnd !== undefined && seqLeq(peer.timedSeqEnd, ack)) {
      conn.addRttSample(now - peer.timedAtUs);
      peer.timedSeqEnd = undefined;
    }
    const pureAck = payloadLength === 0 && (tcp.flags & (TCP_SYN | TCP_FIN | TCP_RST)) === 0;
    if (dir.lastAck === undefined || seqLt(dir.lastAck, ack)) {
      dir.lastAck = ack;
      dir.dupAcks = 0;
      if (peer.gaps.length > 0) {
        // The receiver has bytes the capture never saw (dropped by it, or routed around it): no filler will come.
        peer.gaps = peer.gaps.filter((g) => seqLt(ack, g.end));
      }
    } else if (
      pureAck &&
      ack === dir.lastAck &&
      tcp.window === dir.lastWindow &&
      peer.highSeq !== undefined &&
      seqLt(ack, peer.highSeq)
    ) {
      dir.dupAcks++;
      dir.lastDupAckUs = now;
    }
  }

  // A segment occupying sequence space (data and/or FIN) sent by `dir`.
  onSegment(
    conn: TcpConnection,
    dir: TcpDirection,
    peer: TcpDirection,
    tcp: TcpHeader,
    payloadLength: number,
    segLen: number,
    now: number,
    ipId?: number
  ): void {
    const seq = tcp.seq;
    const seqEnd = seqAdd(seq, segLen);
    if (tcp.flags & TCP_FIN) {
      dir.finSeq = seqEnd;
    }
    if (dir.highSeq === undefined) {
      dir.highSeq = seqEnd;
    } else {
      const ahead = seqDiff(seq, dir.highSeq);
      if (ahead >= 0) {
        if (ahead > 0) {
          this.markGap(dir, seq, now, { ipId, tsVal: tcp.options.tsVal });
        }
        noteInOrderIpId(dir, ipId);
        dir.highSeq = seqEnd;
      } else if (!(segLen <= 1 && ahead === -1 && !(tcp.flags & TCP_FIN))) {
        // Below the highest byte sent and not a keep-alive probe: reordered or sent again.
        this.onEarlierSegment(conn, dir, peer, seq, seqEnd, payloadLength, now, { ipId, tsVal: tcp.options.tsVal });
      }
    }
    if (payloadLength > 0) {
      if (dir.timedSeqEnd === undefined && seqDiff(seqEnd, dir.highSeq) >= 0) {
        dir.timedSeqEnd = seqEnd;
        dir.timedAtUs = now;
      }
      this.checkWindowFull(conn, dir, seq, payloadLength);
    }
  }

  // A bare ACK whose sequence is ahead: this side sent data the capture never saw (lost before this point).
  onBareAck(dir: TcpDirection, seq: number, now: number): void {
    if (dir.highSeq !== undefined && seqDiff(seq, dir.highSeq) > 0) {
      this.markGap(dir, seq, now, { ipId: undefined, tsVal: undefined });
      dir.highSeq = seq;
    }
  }

  onWindow(conn: TcpConnection, dir: TcpDirection, tcp: TcpHeader): void {
    dir.lastWindow = tcp.window;
    if (conn.established || !conn.sawHandshakeStart) {
      const scale = dir.windowScale;
      dir.windowSum += tcp.window * (scale < POW2.length ? POW2[scale] : 2 ** scale);
      dir.windowSamples++;
    }
    if (tcp.window === 0) {
      if (!dir.zeroWindowOpen) {
        dir.zeroWindowOpen = true;
        conn.zeroWindow++;
        this.stats.zeroWindow++;
      }
    } else {
      dir.zeroWindowOpen = false;
    }
  }

  // Both FINs sent and both acknowledged.
  finAcked(conn: TcpConnection): boolean {
    const s = conn.toServer;
    const c = conn.toClient;
    return (
      s.finSeq !== undefined &&
      c.finSeq !== undefined &&
      c.lastAck !== undefined &&
      s.lastAck !== undefined &&
      seqLeq(s.finSeq, c.lastAck) &&
      seqLeq(c.finSeq, s.lastAck)
    );
  }

  private markGap(dir: TcpDirection, upTo: number, now: number, opener: SendOrderMarks): void {
    if (dir.gaps.length < MAX_GAPS_PER_DIRECTION && dir.highSeq !== undefined) {
      dir.gaps.push({ start: dir.highSeq, end: upTo, seenUs: now, opener });
    }
  }

  private onEarlierSegment(
    conn: TcpConnection,
    dir: TcpDirection,
    peer: TcpDirection,
    seq: number,
    seqEnd: number,
    payloadLength: number,
    now: number,
    marks: SendOrderMarks
  ): void {
    // Duplicate ACKs asking for exactly this sequence prove the receiver missed it: a resend, even when the
    // capture never saw the first copy.
    const fast =
      peer.dupAcks >= FAST_RETRANSMIT_DUP_ACKS &&
      peer.lastAck === seq &&
      now - peer.lastDupAckUs < FAST_RETRANSMIT_WITHIN_US;
    const gapIndex = dir.gaps.findIndex((g) => seqLt(seq, g.end) && seqLt(g.start, seqEnd));
    if (gapIndex >= 0) {
      const gap = dir.gaps[gapIndex];
      if (seqLeq(seq, gap.start) && seqLeq(gap.end, seqEnd)) {
        dir.gaps.splice(gapIndex, 1);
      } else if (seqLeq(seq, gap.start)) {
        gap.start = seqEnd;
      } else {
        // Filled at its end or in its middle: what lies after the filler is still missing, and its own late
        // original must find it.
        if (seqLt(seqEnd, gap.end) && dir.gaps.length < MAX_GAPS_PER_DIRECTION) {
          dir.gaps.push({ start: seqEnd, end: gap.end, seenUs: gap.seenUs, opener: gap.opener });
        }
        gap.end = seq;
      }
      rememberFill(dir, seq, seqEnd, marks);
      if (this.reordered(conn, dir, gap, marks, fast, now)) {
        conn.outOfOrder++;
        this.stats.outOfOrder++;
        return;
      }
    } else if (sentBeforeFill(dir, seq, seqEnd, marks)) {
      // An earlier copy of bytes a resend already delivered: the original, overtaken on the way, not one more resend.
      conn.outOfOrder++;
      this.stats.outOfOrder++;
      return;
    }
    conn.retransmits++;
    conn.retransmittedBytes += payloadLength;
    this.stats.retransmits++;
    dir.timedSeqEnd = undefined;
    if (fast) {
      conn.fastRetransmits++;
      this.stats.fastRetransmits++;
    }
    if (seqLt(dir.highSeq ?? seqEnd, seqEnd)) {
      dir.highSeq = seqEnd;
    }
  }

  // The evidence, strongest first: the sender's own counters (IP ID, TSval) against the segment after the gap, then
  // duplicate ACKs asking for it, then how long the gap stayed open against the path's round trip.
  private reordered(
    conn: TcpConnection,
    dir: TcpDirection,
    gap: SeqGap,
    filler: SendOrderMarks,
    fast: boolean,
    now: number
  ): boolean {
    const order = sendOrder(dir, filler, gap.opener);
    if (order !== undefined) {
      return order === 'earlier';
    }
    if (fast) {
      return false;
    }
    return now - gap.seenUs < reorderWindowUs(conn);
  }

  // The sender filled the receiver's whole advertised window.
  private checkWindowFull(conn: TcpConnection, dir: TcpDirection, seq: number, length: number): void {
    const receiver = dir === conn.toServer ? conn.toClient : conn.toServer;
    if (receiver.lastAck === undefined || receiver.lastWindow <= 0) {
      return;
    }
    const window = receiver.lastWindow << receiver.windowScale;
    const inFlight = seqDiff(seqAdd(seq, length), receiver.lastAck);
    if (inFlight >= window) {
      conn.windowFull++;
    }
  }
}

function rememberFill(dir: TcpDirection, start: number, end: number, marks: SendOrderMarks): void {
  if (dir.recentFills.length >= MAX_RECENT_FILLS) {
    dir.recentFills.shift();
  }
  dir.recentFills.push({ start, end, marks });
}

function sentBeforeFill(dir: TcpDirection, seq: number, seqEnd: number, marks: SendOrderMarks): boolean {
  const fill = dir.recentFills.find((f) => seqLt(seq, f.end) && seqLt(f.start, seqEnd));
  return fill !== undefined && sendOrder(dir, marks, fill.marks) === 'earlier';
}

function reorderWindowUs(conn: TcpConnection): number {
  // The handshake spans the whole path wherever the capture sits; data RTT samples may cover only one side of it.
  const pathRttUs = conn.handshakeRttUs ?? (Number.isFinite(conn.rttMinUs) ? conn.rttMinUs : undefined);
  return pathRttUs === undefined ? REORDER_WINDOW_US : pathRttUs * REORDER_RTT_SHARE;
}
