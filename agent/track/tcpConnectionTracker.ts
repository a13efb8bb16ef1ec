// Follows every TCP connection the capture sees: handshake, RTT, retransmissions, windows, close; reports flows, drops and resets.
import { LIFECYCLE, type NetworkEvent } from '../../model/events';
import type { DecodedPacket, TcpHeader } from '../decode/packet';
import type { ConnectionClassifier, ConnectionObserver } from './connectionObserver';
import { seqAdd, seqDiff } from './seq';
import { StreamReassembler } from './streamReassembler';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './tcpFlags';
import { MAX_SYN_TIMES, TcpConnection, type TcpDirection, type Side, type UnansweredReport } from './tcpConnection';
import { flowEvent, resetEventVersion, unansweredSynDrop } from './tcpEvents';
import { TcpSequenceAnalysis } from './tcpSequenceAnalysis';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

// Linux gives up on a SYN after about two minutes of backoff (6 retries).
const SYN_BACKOFF_LIMIT_US = 130_000_000;
const MAX_REPORTED_UNANSWERED = 10_000;
const RECENT_SLOTS = 1024;
// When the last ACK of a close is lost, the peer resends its FIN after its retransmission timeout (200 ms minimum on
// Linux, doubling per attempt): a closed connection waits this long so such resends count against it, not a new one.
const CLOSED_LINGER_US = 1_000_000;

// The same slot for both directions of a connection.
function recentSlot(portA: number, portB: number): number {
  return Math.imul(portA ^ portB, 0x9e3779b1) >>> 22;
}

export interface QuotedTuple {
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

export class TcpConnectionTracker {
  private readonly table = new Map<string, TcpConnection>();
  private readonly observers = new Map<TcpConnection, ConnectionObserver>();
  private nextSweepUs = 0;
  // Connections seen lately, direct-mapped by port pair (a collision only costs a Map lookup).
  private readonly recent: Array<TcpConnection | undefined> = new Array<TcpConnection | undefined>(RECENT_SLOTS).fill(
    undefined
  );
  private readonly reportedUnanswered = new Map<string, UnansweredReport>();
  private readonly sweepEveryUs: number;
  private readonly sequence: TcpSequenceAnalysis;

  constructor(
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats,
    private readonly classify?: ConnectionClassifier
  ) {
    this.sequence = new TcpSequenceAnalysis(stats);
    this.sweepEveryUs = Math.max(1000, Math.min(1_000_000, (options.unansweredSynMs * 1000) / 4));
  }

  get size(): number {
    return this.table.size;
  }

  handle(p: DecodedPacket): void {
    const tcp = p.tcp;
    if (!tcp) {
      return;
    }
    const now = p.timeUs;
    if (now >= this.nextSweepUs) {
      this.sweep(now);
      this.nextSweepUs = now + this.sweepEveryUs;
    }
    const sp = tcp.srcPort;
    const dp = tcp.dstPort;
    // One key for both directions: the endpoint on the higher port (usually the ephemeral client) first.
    // Interleaved transfers revisit a few connections: a slot per port pair finds them before a key string is built.
    const slot = recentSlot(sp, dp);
    const recent = this.recent[slot];
    let conn =
      recent !== undefined &&
      ((recent.clientPort === sp &&
        recent.serverPort === dp &&
        recent.clientIp === p.srcIp &&
        recent.serverIp === p.dstIp) ||
        (recent.clientPort === dp &&
          recent.serverPort === sp &&
          recent.clientIp === p.dstIp &&
          recent.serverIp === p.srcIp))
        ? recent
        : undefined;
    const key =
      conn?.key ??
      (sp > dp || (sp === dp && p.srcIp > p.dstIp)
        ? connectionKey(p.srcIp, sp, p.dstIp, dp)
        : connectionKey(p.dstIp, dp, p.srcIp, sp));
    if (!conn) {
      conn = this.table.get(key);
    }
    const isSyn = (tcp.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    if (
      conn &&
      isSyn &&
      conn.clientPort === sp &&
      conn.clientIp === p.srcIp &&
      (conn.toServer.isn !== tcp.seq || (conn.closed && conn.resetBy === undefined)) &&
      (conn.closed || conn.toServer.isn !== undefined)
    ) {
      // The 5-tuple was reused by a new connection.
      this.finish(conn, now);
      conn = undefined;
    }
    if (!conn) {
      // A RST with nothing before it in the capture is still a reset worth reporting.
      conn = this.open(key, p, tcp);
    }
    this.recent[slot] = conn;
    const side: Side = conn.clientPort === sp && conn.clientIp === p.srcIp ? 'client' : 'server';
    this.update(conn, side, p, tcp);
  }

  // An ICMP error quoted one of our connections: it failed for that reason, not silently.
  noteIcmpRejection(quoted: QuotedTuple): TcpConnection | undefined {
    const conn = this.table.get(canonicalKey(quoted.srcIp, quoted.srcPort, quoted.dstIp, quoted.dstPort));
    if (conn) {
      conn.icmpRejected = true;
    }
    return conn;
  }

  // Time passes without packets (live mode): expire what is due.
  advance(nowUs: number): void {
    this.sweep(nowUs);
  }

  // End of capture: report everything still open.
  flush(endUs: number): void {
    for (const conn of [...this.table.values()]) {
      this.finish(conn, endUs);
    }
  }

  private open(key: string, p: DecodedPacket, tcp: TcpHeader): TcpConnection {
    if (this.table.size >= this.options.maxConnections) {
      const oldest = this.table.values().next().value;
      if (oldest) {
        this.stats.connectionsEvicted++;
        this.finish(oldest, p.timeUs);
      }
    }
    const synAck = (tcp.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    const syn = (tcp.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    // Without a SYN to say who opened it, the side on the lower (service) port is the server.
    const senderIsClient = syn || (!synAck && tcp.srcPort > tcp.dstPort);
    const conn = senderIsClient
      ? new TcpConnection(key, p.srcIp, tcp.srcPort, p.dstIp, tcp.dstPort, p.timeUs, syn)
      : new TcpConnection(key, p.dstIp, tcp.dstPort, p.srcIp, tcp.srcPort, p.timeUs, false);
    conn.underlay = p.underlay;
    this.table.set(conn.key, conn);
    this.stats.connectionsOpened++;
    return conn;
  }

  private update(conn: TcpConnection, side: Side, p: DecodedPacket, tcp: TcpHeader): void {
    const now = p.timeUs;
    const flags = tcp.flags;
    const dir = conn.direction(side);
    const peer = conn.peer(side);
    conn.lastUs = now;
    dir.packets++;
    dir.bytes += p.wireLength;

    if (flags & TCP_SYN) {
      this.onSyn(conn, side, dir, tcp, now);
    }
    if (flags & TCP_RST) {
      this.onRst(conn, side, now);
      return;
    }
    const captured = p.payloadLength ?? p.payload.length;
    // Sequence space counts every byte sent, captured or cut off by the snap length.
    const payloadLength = p.wirePayloadLength ?? captured;
    if (flags & TCP_ACK) {
      this.onHandshakeAck(conn, side, peer, tcp.ack, now);
      this.sequence.onAck(conn, dir, peer, tcp, payloadLength, now);
      // The peer's bytes this side acknowledged were received: a hole before them will never be filled.
      peer.reassembler?.acked(tcp.ack);
    }
    conn.payloadBytes += payloadLength;
    const segLen = payloadLength + (flags & TCP_FIN ? 1 : 0);
    if (segLen > 0 && !(flags & TCP_SYN)) {
      conn.lifecycle |= (payloadLength > 0 ? LIFECYCLE.DATA : 0) | (flags & TCP_FIN ? LIFECYCLE.FIN : 0);
      this.sequence.onSegment(conn, dir, peer, tcp, payloadLength, segLen, now, p.ipId);
      // The payload view is made only for connections an application tracker follows.
      if (captured > 0 && (dir.reassembler || (!conn.classified && this.classify))) {
        this.deliverPayload(conn, side, dir, tcp.seq, p.payload, now);
      }
    } else if (segLen === 0) {
      this.sequence.onBareAck(dir, tcp.seq, now);
    }
    if (!(flags & TCP_SYN)) {
      this.sequence.onWindow(conn, dir, tcp);
    }
    if (!conn.closed && dir.finSeq !== undefined && peer.finSeq !== undefined && this.sequence.finAcked(conn)) {
      conn.closed = true;
      conn.closedUs = now;
    }
  }

  private onSyn(conn: TcpConnection, side: Side, dir: TcpDirection, tcp: TcpHeader, now: number): void {
    const isSynAck = (tcp.flags & TCP_ACK) !== 0;
    conn.lifecycle |= isSynAck ? LIFECYCLE.SYN_ACK : LIFECYCLE.SYN;
    if (dir.isn !== undefined && dir.isn === tcp.seq) {
      conn.retransmits++;
      this.stats.retransmits++;
      if (!isSynAck && side === 'client') {
        conn.synAttempts++;
        conn.lastSynUs = now;
        recordSynTime(conn, now);
        conn.closed = false;
      }
      return;
    }
    dir.isn = tcp.seq;
    dir.highSeq = seqAdd(tcp.seq, 1);
    dir.offeredWindowScale = tcp.options.windowScale;
    dir.lastWindow = tcp.window;
    if (!isSynAck && side === 'client') {
      const earlier = this.reportedUnanswered.get(conn.key);
      if (earlier && earlier.isn === tcp.seq && now - earlier.lastSynUs <= SYN_BACKOFF_LIMIT_US) {
        // Another attempt of a SYN already reported unanswered.
        conn.continues = earlier;
        conn.carryCountersOf(earlier.flow);
        conn.synAttempts = earlier.attempts + 1;
        conn.firstSynUs = earlier.drop.time;
        conn.synTimesUs = [...(earlier.drop.drop?.attemptTimes ?? [])];
        conn.retransmits = earlier.attempts;
        this.stats.retransmits++;
      } else {
        conn.synAttempts = 1;
        conn.firstSynUs = now;
        conn.synTimesUs = [];
      }
      conn.lastSynUs = now;
      recordSynTime(conn, now);
    }
    if (isSynAck) {
      conn.synAckUs = now;
      const peer = side === 'client' ? conn.toClient : conn.toServer;
      // Window scaling applies only when both ends offered it.
      if (dir.offeredWindowScale !== undefined && peer.offeredWindowScale !== undefined) {
        dir.windowScale = dir.offeredWindowScale;
        peer.windowScale = peer.offeredWindowScale;
      }
    }
  }

  // The connection lingers after a RST: stray packets still belong to it, and a SYN sent again with the same ISN
  // (as Windows retries a refused connection) is another attempt of it, published as a newer version of the reset.
  private onRst(conn: TcpConnection, side: Side, now: number): void {
    conn.lifecycle |= LIFECYCLE.RST;
    conn.closed = true;
    conn.closedUs = now;
    const earlier = conn.resetReport;
    if (earlier && conn.synAttempts <= (earlier.drop?.attempts ?? 0)) {
      return;
    }
    conn.resetBy ??= side;
    conn.resetUs = now;
    // A server RST answering a SYN is a refusal (no listener, or REJECT with tcp-reset), not a drop.
    const refused = conn.resetBy === 'server' && conn.synAckUs === undefined && conn.synAttempts > 0;
    const event = resetEventVersion(conn, this.options, refused ? 'connection_refused' : 'connection_reset', now);
    conn.resetReport = event;
    this.emit(event);
  }

  // The client's ACK of the SYN-ACK completes the handshake: its RTT as seen at the capture point.
  private onHandshakeAck(conn: TcpConnection, side: Side, peer: TcpDirection, ack: number, now: number): void {
    if (
      !conn.established &&
      side === 'client' &&
      conn.synAckUs !== undefined &&
      peer.isn !== undefined &&
      ack === seqAdd(peer.isn, 1)
    ) {
      conn.established = true;
      conn.lifecycle |= LIFECYCLE.ACK;
      if (conn.sawHandshakeStart) {
        conn.handshakeRttUs = now - conn.lastSynUs;
        this.stats.onHandshakeRtt?.(conn.handshakeRttUs);
      }
    } else if (!conn.sawHandshakeStart) {
      conn.lifecycle |= LIFECYCLE.ACK;
    }
  }

  private deliverPayload(
    conn: TcpConnection,
    side: Side,
    dir: TcpDirection,
    seq: number,
    payload: Uint8Array,
    now: number
  ): void {
    if (!conn.classified && this.classify) {
      // The stream's first bytes decide its protocol: an early segment waits (one per direction) for them.
      if (dir.isn !== undefined && seqDiff(seq, seqAdd(dir.isn, 1)) > 0 && !dir.early) {
        dir.early = { seq, data: payload.slice(), timeUs: now };
        return;
      }
      conn.classified = true;
      const observer = this.classify(conn, side, payload, now);
      if (observer) {
        conn.appProtocol = observer.appProtocol;
        this.observers.set(conn, observer);
        this.attach(conn, 'client', observer);
        this.attach(conn, 'server', observer);
      }
      dir.reassembler?.push(seq, payload, now);
      for (const d of [conn.toServer, conn.toClient]) {
        if (d.early) {
          d.reassembler?.push(d.early.seq, d.early.data, d.early.timeUs);
          d.early = undefined;
        }
      }
    } else {
      dir.reassembler?.push(seq, payload, now);
    }
  }

  private attach(conn: TcpConnection, side: Side, observer: ConnectionObserver): void {
    const consumer = side === 'client' ? observer.fromClient : observer.fromServer;
    if (!consumer) {
      return;
    }
    const dir = conn.direction(side);
    dir.reassembler = new StreamReassembler(consumer, this.options.reassemblyBufferBytes);
    if (dir.isn !== undefined) {
      dir.reassembler.start(seqAdd(dir.isn, 1));
    }
  }

  private sweep(now: number): void {
    const idleUs = this.options.idleTimeoutMs * 1000;
    const synUs = this.options.unansweredSynMs * 1000;
    const updateUs = this.options.flowUpdateIntervalMs * 1000;
    for (const conn of this.table.values()) {
      const due = conn.closed
        ? now - conn.closedUs >= CLOSED_LINGER_US
        : conn.unanswered
          ? now - conn.lastSynUs >= synUs
          : now - conn.lastUs >= idleUs;
      if (due) {
        this.finish(conn, now);
      } else if (now - conn.lastReportUs >= updateUs && !conn.unanswered && !conn.closed) {
        conn.lastReportUs = now;
        this.emit(flowEvent(conn, this.options, 'active'));
      }
    }
  }

  // Reports a connection once and forgets it.
  private finish(conn: TcpConnection, endUs: number): void {
    if (!this.table.delete(conn.key)) {
      return;
    }
    const slot = recentSlot(conn.clientPort, conn.serverPort);
    if (this.recent[slot] === conn) {
      this.recent[slot] = undefined;
    }
    for (const dir of [conn.toServer, conn.toClient]) {
      if (dir.reassembler) {
        dir.reassembler.flush();
        this.stats.reassemblyGaps += dir.reassembler.gaps;
      }
    }
    const observer = this.observers.get(conn);
    if (observer) {
      this.observers.delete(conn);
      // A closed connection ended at its last packet, not when its linger ran out.
      observer.onClose(conn.closed ? conn.lastUs : endUs);
      // What the payload revealed later (an h2c upgrade, TLS ALPN) refines the first guess.
      conn.appProtocol = observer.appProtocol;
    }
    const unansweredLongEnough = conn.synAttempts >= 2 || endUs - conn.lastSynUs >= this.options.unansweredSynMs * 1000;
    if (conn.unanswered && !conn.icmpRejected && conn.resetBy === undefined && unansweredLongEnough) {
      this.reportUnanswered(conn);
      return;
    }
    this.emit(flowEvent(conn, this.options, conn.state()));
  }

  // An unanswered SYN is reported once. Attempts after the report (the client's backoff outlasted the timeout) are
  // published as a newer version of the same drop and flow (same id, next revision), never by changing what was sent.
  private reportUnanswered(conn: TcpConnection): void {
    const earlier = conn.continues;
    const isn = conn.toServer.isn ?? 0;
    const version = earlier
      ? { revision: (earlier.drop.revision ?? 0) + 1, time: earlier.drop.time }
      : { revision: 0, time: conn.firstSynUs };
    const id = `${conn.key}#${isn}`;
    const drop = { ...unansweredSynDrop(conn, this.options), id: `${id}/drop`, ...version };
    const flow = { ...flowEvent(conn, this.options, conn.state()), id: `${id}/flow`, ...version };
    this.emit(drop);
    this.emit(flow);
    const report = { isn, drop, flow, attempts: 0, lastSynUs: 0 };
    report.attempts = conn.synAttempts;
    report.lastSynUs = conn.lastSynUs;
    this.reportedUnanswered.delete(conn.key);
    if (this.reportedUnanswered.size >= MAX_REPORTED_UNANSWERED) {
      this.reportedUnanswered.delete(this.reportedUnanswered.keys().next().value!);
    }
    this.reportedUnanswered.set(conn.key, report);
  }
}

function connectionKey(aIp: string, aPort: number, bIp: string, bPort: number): string {
  return aIp + ':' + aPort + '>' + bIp + ':' + bPort;
}

export function canonicalKey(srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  return srcPort > dstPort || (srcPort === dstPort && srcIp > dstIp)
    ? connectionKey(srcIp, srcPort, dstIp, dstPort)
    : connectionKey(dstIp, dstPort, srcIp, srcPort);
}

function recordSynTime(conn: TcpConnection, now: number): void {
  if (conn.synTimesUs.length < MAX_SYN_TIMES) {
    conn.synTimesUs.push(now);
  }
}
