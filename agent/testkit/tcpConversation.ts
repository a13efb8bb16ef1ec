// Builds DecodedPackets by hand for tests and benchmarks that must not depend on a capture file, and runs them
// through the TCP tracker.
import type { DecodedPacket, TcpOptions } from '../decode/packet';
import type { NetworkEvent } from '../../model/events';
import { createConnectionClassifier } from '../track/connectionClassifier';
import { DnsExchangeTracker } from '../track/dnsExchangeTracker';
import type { DnsLookupIndex } from '../track/dnsLookupIndex';
import { TcpConnectionTracker } from '../track/tcpConnectionTracker';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../track/tcpFlags';
import { defaultTrackerOptions, type TrackerOptions } from '../track/trackerOptions';
import { TrackerStats } from '../track/trackerStats';

export interface Host {
  ip: string;
  port: number;
}

export interface SegmentSpec {
  seq: number;
  ack?: number;
  flags: number;
  payload?: Uint8Array | string;
  window?: number;
  options?: TcpOptions;
}

export function tcpPacket(timeUs: number, from: Host, to: Host, s: SegmentSpec): DecodedPacket {
  const payload =
    typeof s.payload === 'string' ? new TextEncoder().encode(s.payload) : (s.payload ?? new Uint8Array(0));
  return {
    timeUs,
    wireLength: 54 + payload.length,
    ipVersion: 4,
    srcIp: from.ip,
    dstIp: to.ip,
    protocol: 6,
    ttl: 64,
    fragment: false,
    tcp: {
      srcPort: from.port,
      dstPort: to.port,
      seq: s.seq >>> 0,
      ack: (s.ack ?? 0) >>> 0,
      flags: s.flags,
      window: s.window ?? 65535,
      options: s.options ?? {},
    },
    payload,
  };
}

export function udpPacket(timeUs: number, from: Host, to: Host, payload: Uint8Array): DecodedPacket {
  return {
    timeUs,
    wireLength: 42 + payload.length,
    ipVersion: 4,
    srcIp: from.ip,
    dstIp: to.ip,
    protocol: 17,
    ttl: 64,
    fragment: false,
    udp: { srcPort: from.port, dstPort: to.port },
    payload,
  };
}

// A scripted conversation: keeps both sides' sequence numbers so tests read like the exchange they describe.
export class TcpConversation {
  clientSeq: number;
  serverSeq: number;
  readonly packets: DecodedPacket[] = [];

  constructor(
    readonly client: Host,
    readonly server: Host,
    clientIsn = 1000,
    serverIsn = 5000
  ) {
    this.clientSeq = clientIsn;
    this.serverSeq = serverIsn;
  }

  syn(t: number): DecodedPacket {
    return this.push(tcpPacket(t, this.client, this.server, { seq: this.clientSeq, flags: TCP_SYN }));
  }

  synAck(t: number): DecodedPacket {
    return this.push(
      tcpPacket(t, this.server, this.client, { seq: this.serverSeq, ack: this.clientSeq + 1, flags: TCP_SYN | TCP_ACK })
    );
  }

  // The third packet of the handshake; both ISNs are consumed by it.
  ack(t: number): DecodedPacket {
    this.clientSeq = (this.clientSeq + 1) >>> 0;
    this.serverSeq = (this.serverSeq + 1) >>> 0;
    return this.push(
      tcpPacket(t, this.client, this.server, { seq: this.clientSeq, ack: this.serverSeq, flags: TCP_ACK })
    );
  }

  handshake(t: number, rttUs = 100): void {
    this.syn(t);
    this.synAck(t + rttUs / 2);
    this.ack(t + rttUs);
  }

  clientSends(t: number, payload: string | Uint8Array, advance = true, window?: number): DecodedPacket {
    const p = tcpPacket(t, this.client, this.server, {
      seq: this.clientSeq,
      ack: this.serverSeq,
      flags: TCP_ACK | TCP_PSH,
      payload,
      window,
    });
    if (advance) {
      this.clientSeq = (this.clientSeq + p.payload.length) >>> 0;
    }
    return this.push(p);
  }

  serverSends(t: number, payload: string | Uint8Array, advance = true, window?: number): DecodedPacket {
    const p = tcpPacket(t, this.server, this.client, {
      seq: this.serverSeq,
      ack: this.clientSeq,
      flags: TCP_ACK | TCP_PSH,
      payload,
      window,
    });
    if (advance) {
      this.serverSeq = (this.serverSeq + p.payload.length) >>> 0;
    }
    return this.push(p);
  }

  clientAcks(t: number, window?: number): DecodedPacket {
    return this.push(
      tcpPacket(t, this.client, this.server, { seq: this.clientSeq, ack: this.serverSeq, flags: TCP_ACK, window })
    );
  }

  serverAcks(t: number, window?: number, ack = this.clientSeq): DecodedPacket {
    return this.push(tcpPacket(t, this.server, this.client, { seq: this.serverSeq, ack, flags: TCP_ACK, window }));
  }

  // Orderly close: client FIN, server FIN, client's last ACK.
  close(t: number): void {
    this.push(
      tcpPacket(t, this.client, this.server, { seq: this.clientSeq, ack: this.serverSeq, flags: TCP_FIN | TCP_ACK })
    );
    this.clientSeq = (this.clientSeq + 1) >>> 0;
    this.push(
      tcpPacket(t + 10, this.server, this.client, {
        seq: this.serverSeq,
        ack: this.clientSeq,
        flags: TCP_FIN | TCP_ACK,
      })
    );
    this.serverSeq = (this.serverSeq + 1) >>> 0;
    this.push(
      tcpPacket(t + 20, this.client, this.server, { seq: this.clientSeq, ack: this.serverSeq, flags: TCP_ACK })
    );
  }

  serverRefuses(t: number): DecodedPacket {
    return this.push(
      tcpPacket(t, this.server, this.client, { seq: 0, ack: this.clientSeq + 1, flags: TCP_RST | TCP_ACK })
    );
  }

  private push(p: DecodedPacket): DecodedPacket {
    this.packets.push(p);
    return p;
  }
}

/**
 * Runs a conversation's packets through the full TCP tracker (with the HTTP, HTTP/2, TLS and DNS classifiers) and
 * flushes it at `endUs` (its last packet by default): what it emitted and its counts.
 */
export function trackConversation(
  c: TcpConversation,
  options: { endUs?: number; tracker?: Partial<TrackerOptions>; dnsLookups?: DnsLookupIndex } = {}
): { events: NetworkEvent[]; stats: TrackerStats } {
  const events: NetworkEvent[] = [];
  const stats = new TrackerStats();
  const opts = defaultTrackerOptions(options.tracker);
  const emit = (e: NetworkEvent) => events.push(e);
  const dns = new DnsExchangeTracker(opts, emit, stats);
  const tracker = new TcpConnectionTracker(
    opts,
    emit,
    stats,
    createConnectionClassifier(dns, opts, emit, stats, options.dnsLookups)
  );
  c.packets.forEach((p) => tracker.handle(p));
  tracker.flush(options.endUs ?? c.packets[c.packets.length - 1].timeUs);
  return { events, stats };
}
