// The state one TCP connection keeps: per-direction sequence tracking and the health counters the flow event reports.
import type { FlowState, NetworkEvent } from '../../model/events';
import type { StreamReassembler } from './streamReassembler';

export type Side = 'client' | 'server';

// A range of sequence space the capture skipped over (a later segment filling it is out-of-order, not a retransmission).
export interface SeqGap {
  start: number;
  end: number;
  seenUs: number;
  // What the segment that opened the gap (the filler's neighbour) says about when it was sent.
  opener: SendOrderMarks;
}

// IP ID and TCP timestamp of a segment: both count up as its sender sends, so they tell send order.
export interface SendOrderMarks {
  ipId: number | undefined;
  tsVal: number | undefined;
}

// Holes open at once in one direction: a lossy window of a fast sender opens several before the first is filled.
export const MAX_GAPS_PER_DIRECTION = 32;
export const MAX_SYN_TIMES = 16;

// The events already emitted for a SYN nobody answered, kept so later attempts update them.
export interface UnansweredReport {
  isn: number;
  drop: NetworkEvent;
  flow: NetworkEvent;
  attempts: number;
  lastSynUs: number;
}

// What one side sent, seen at the capture point.
export class TcpDirection {
  bytes = 0;
  packets = 0;
  isn: number | undefined;
  // One past the highest sequence number this side has sent (undefined until the first segment).
  highSeq: number | undefined;
  gaps: SeqGap[] = [];
  // The segments that last filled gaps, with their send-order marks.
  recentFills: Array<{ start: number; end: number; marks: SendOrderMarks }> = [];
  // IP ID of the last segment that advanced highSeq, and how often consecutive ones counted up by a little.
  lastIpId: number | undefined;
  ipIdCountsUp = 0;
  ipIdJumps = 0;
  // Acknowledgement state of what this side receives.
  lastAck: number | undefined;
  lastWindow = -1;
  // Sum and count of the windows this side advertised after the handshake, scaled, for the mean receive window.
  windowSum = 0;
  windowSamples = 0;
  dupAcks = 0;
  lastDupAckUs = 0;
  windowScale = 0;
  offeredWindowScale: number | undefined;
  zeroWindowOpen = false;
  finSeq: number | undefined;
  // Karn's rule: one timed segment at a time, dropped when any retransmission happens.
  timedSeqEnd: number | undefined;
  timedAtUs = 0;
  reassembler: StreamReassembler | undefined;
  // A segment that arrived before the stream's first bytes, kept until they come.
  early: { seq: number; data: Uint8Array; timeUs: number } | undefined;
}

export class TcpConnection {
  readonly key: string;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly serverIp: string;
  readonly serverPort: number;
  readonly firstUs: number;
  lastUs: number;
  lastReportUs: number;
  readonly toServer = new TcpDirection();
  readonly toClient = new TcpDirection();
  lifecycle = 0;
  // True when the first packet seen was the client's SYN (the handshake happened inside the capture).
  sawHandshakeStart: boolean;
  synAttempts = 0;
  firstSynUs = 0;
  lastSynUs = 0;
  // When each SYN attempt was seen (the first MAX_SYN_TIMES), for the drop's timeline of attempts.
  synTimesUs: number[] = [];
  synAckUs: number | undefined;
  handshakeRttUs: number | undefined;
  established = false;
  retransmits = 0;
  fastRetransmits = 0;
  outOfOrder = 0;
  zeroWindow = 0;
  windowFull = 0;
  rttMinUs = Infinity;
  rttMaxUs = 0;
  rttSumUs = 0;
  rttSamples = 0;
  // Welford's running mean and squared deviations of the RTT samples, for the jitter.
  private rttMeanUs = 0;
  private rttM2 = 0;
  // Payload bytes in both directions, and those sent again.
  payloadBytes = 0;
  retransmittedBytes = 0;
  resetBy: Side | undefined;
  resetUs = 0;
  // The reset event published for this connection (its newest version), if one was.
  resetReport: NetworkEvent | undefined;
  // Set when this SYN continues one already reported unanswered.
  continues: UnansweredReport | undefined;
  // An ICMP error already explained why this connection failed.
  icmpRejected = false;
  // Both FINs acknowledged; the connection lingers a moment for late resends before it is reported.
  closed = false;
  closedUs = 0;
  appProtocol: string | undefined;
  // The overlay tunnel the connection's first packet came in, if any.
  underlay: NetworkEvent['underlay'];
  // Set once the first payload was classified, so classification runs once.
  classified = false;

  constructor(
    key: string,
    clientIp: string,
    clientPort: number,
    serverIp: string,
    serverPort: number,
    timeUs: number,
    sawSyn: boolean
  ) {
    this.key = key;
    this.clientIp = clientIp;
    this.clientPort = clientPort;
    this.serverIp = serverIp;
    this.serverPort = serverPort;
    this.firstUs = timeUs;
    this.lastUs = timeUs;
    this.lastReportUs = timeUs;
    this.sawHandshakeStart = sawSyn;
  }

  // Continuing a connection already reported unanswered: its packets and bytes so far count too, so a newer version
  // of the report counts every attempt.
  carryCountersOf(reported: NetworkEvent): void {
    const before = reported.flow;
    if (before) {
      this.toServer.packets += before.toServer.packets;
      this.toServer.bytes += before.toServer.bytes;
      this.toClient.packets += before.toClient.packets;
      this.toClient.bytes += before.toClient.bytes;
    }
  }

  direction(side: Side): TcpDirection {
    return side === 'client' ? this.toServer : this.toClient;
  }

  peer(side: Side): TcpDirection {
    return side === 'client' ? this.toClient : this.toServer;
  }

  addRttSample(us: number): void {
    if (us < 0) {
      return;
    }
    this.rttSamples++;
    this.rttSumUs += us;
    const delta = us - this.rttMeanUs;
    this.rttMeanUs += delta / this.rttSamples;
    this.rttM2 += delta * (us - this.rttMeanUs);
    if (us < this.rttMinUs) {
      this.rttMinUs = us;
    }
    if (us > this.rttMaxUs) {
      this.rttMaxUs = us;
    }
  }

  // The population standard deviation of the RTT samples.
  get rttJitterUs(): number {
    return this.rttSamples > 0 ? Math.sqrt(this.rttM2 / this.rttSamples) : 0;
  }

  // Only SYNs went out and nothing came back.
  get unanswered(): boolean {
    return this.synAttempts > 0 && this.synAckUs === undefined && this.toClient.packets === 0;
  }

  state(): FlowState {
    if (this.resetBy !== undefined || this.icmpRejected) {
      return 'reset';
    }
    if (this.unanswered) {
      return 'unanswered';
    }
    if (this.closed) {
      return 'closed';
    }
    if (this.sawHandshakeStart && !this.established) {
      return 'half_open';
    }
    return 'established';
  }
}
