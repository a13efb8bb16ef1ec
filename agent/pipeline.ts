// The agent's event pipeline: packets → trackers → events → enrichers (identity, policy) → sinks (store, metrics, exporters).
// Sources either push DecodedPackets (pcap, live tcpdump) or ready NetworkEvents (Hubble, NFLOG).
import type { NetworkEvent, Transport } from '../model/events';
import type { DecodedPacket } from './decode/packet';
import { PipelineErrors } from './pipelineErrors';
import { parseDnsSummary } from './track/dnsMessageSummary';
import { createConnectionClassifier } from './track/connectionClassifier';
import { DnsExchangeTracker } from './track/dnsExchangeTracker';
import { DnsLookupIndex } from './track/dnsLookupIndex';
import { DuplicatePacketFilter } from './track/duplicatePacketFilter';
import { classifyIcmpError } from './track/icmpErrors';
import { TcpConnectionTracker } from './track/tcpConnectionTracker';
import { TCP_ACK, TCP_SYN } from './track/tcpFlags';
import type { TrackerOptions } from './track/trackerOptions';
import { TrackerStats } from './track/trackerStats';

// Fills or annotates an event in place (Kubernetes identity, NetworkPolicy explanation).
export interface EventEnricher {
  readonly name: string;
  enrich(event: NetworkEvent): void;
}

// Receives every finished event (the store, metrics, Loki/OTLP exporters, stdout).
export type EventSink = (event: NetworkEvent) => void;

// A client's SYN as the capture saw it: the first sign of a TCP connection.
export interface SynSeen {
  timeUs: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  isn: number;
}

// Watches connections as they start and as events report them, and may raise events of its own (security signals).
export interface ConnectionWatcher {
  onSyn(syn: SynSeen): NetworkEvent | undefined;
  onEvent(event: NetworkEvent): NetworkEvent | undefined;
}

const DNS_PORT = 53;
const MDNS_PORT = 5353;

export class PacketPipeline {
  readonly stats = new TrackerStats();
  private readonly enrichers: EventEnricher[] = [];
  private readonly sinks: EventSink[] = [];
  private readonly watchers: ConnectionWatcher[] = [];
  private readonly tcp: TcpConnectionTracker;
  private readonly dns: DnsExchangeTracker;
  private nextDnsSweepUs = 0;
  private readonly duplicates = new DuplicatePacketFilter();
  // Latest packet time seen: the pipeline's clock when replaying a capture.
  lastPacketUs = 0;
  events = 0;

  constructor(
    private readonly options: TrackerOptions,
    // Exceptions caught inside the pipeline, by stage: one bad packet or event never stops it.
    readonly errors = new PipelineErrors()
  ) {
    const emit = (event: NetworkEvent) => this.publish(event);
    const dnsLookups = new DnsLookupIndex();
    this.dns = new DnsExchangeTracker(
      options,
      (event) => {
        dnsLookups.note(event);
        emit(event);
      },
      this.stats
    );
    this.tcp = new TcpConnectionTracker(
      options,
      emit,
      this.stats,
      createConnectionClassifier(this.dns, options, emit, this.stats, dnsLookups)
    );
  }

  get openConnections(): number {
    return this.tcp.size;
  }

  addEnricher(enricher: EventEnricher): this {
    this.enrichers.push(enricher);
    return this;
  }

  addSink(sink: EventSink): this {
    this.sinks.push(sink);
    return this;
  }

  addWatcher(watcher: ConnectionWatcher): this {
    this.watchers.push(watcher);
    return this;
  }

  handlePacket(p: DecodedPacket): void {
    try {
      this.trackPacket(p);
    } catch (err) {
      this.errors.record('track', err);
    }
  }

  private trackPacket(p: DecodedPacket): void {
    if (this.duplicates.isDuplicate(p)) {
      this.stats.duplicatePackets++;
      return;
    }
    if (p.timeUs > this.lastPacketUs) {
      this.lastPacketUs = p.timeUs;
    }
    if (p.tcp) {
      this.stats.tcpPackets++;
      if (this.watchers.length > 0 && (p.tcp.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
        this.watchSyn(p);
      }
      this.tcp.handle(p);
    } else if (p.udp) {
      this.stats.udpPackets++;
      this.handleUdp(p);
    } else if (p.icmp) {
      this.stats.icmpPackets++;
      this.handleIcmp(p);
    } else {
      this.stats.otherPackets++;
    }
    if (p.timeUs >= this.nextDnsSweepUs) {
      this.dns.advance(p.timeUs);
      this.nextDnsSweepUs = p.timeUs + 100_000;
    }
  }

  // A source that already produces events (Hubble, NFLOG) joins the pipeline after the trackers.
  handleEvent(event: NetworkEvent): void {
    try {
      this.publish(event);
    } catch (err) {
      this.errors.record('event', err);
    }
  }

  // Wall-clock tick in live mode: timeouts fire even when no packet arrives.
  advance(nowUs: number): void {
    try {
      this.tcp.advance(nowUs);
      this.dns.advance(nowUs);
    } catch (err) {
      this.errors.record('tick', err);
    }
  }

  // End of a capture: everything still open is reported as of the last packet.
  flush(endUs = this.lastPacketUs): void {
    try {
      this.tcp.flush(endUs);
      this.dns.flush();
    } catch (err) {
      this.errors.record('tick', err);
    }
  }

  private handleUdp(p: DecodedPacket): void {
    const udp = p.udp!;
    if (!(
      udp.srcPort === DNS_PORT ||
      udp.dstPort === DNS_PORT ||
      udp.srcPort === MDNS_PORT ||
      udp.dstPort === MDNS_PORT
    )) {
      return;
    }
    const message = parseDnsSummary(p.payload);
    if (!message) {
      this.stats.parseErrors++;
      return;
    }
    this.dns.onMessage(message, {
      timeUs: p.timeUs,
      transport: 'udp',
      srcIp: p.srcIp,
      srcPort: udp.srcPort,
      dstIp: p.dstIp,
      dstPort: udp.dstPort,
      underlay: p.underlay,
    });
  }

  private handleIcmp(p: DecodedPacket): void {
    const icmp = p.icmp!;
    const quoted = icmp.quoted;
    const verdict = classifyIcmpError(icmp);
    if (!verdict || !quoted) {
      return;
    }
    const transport: Transport =
      quoted.protocol === 6 ? 'tcp' : quoted.protocol === 17 ? 'udp' : icmp.version === 4 ? 'icmp' : 'icmpv6';
    const conn =
      quoted.protocol === 6 && quoted.srcPort !== undefined && quoted.dstPort !== undefined
        ? this.tcp.noteIcmpRejection({
            srcIp: quoted.srcIp,
            srcPort: quoted.srcPort,
            dstIp: quoted.dstIp,
            dstPort: quoted.dstPort,
          })
        : undefined;
    this.publish({
      kind: verdict.kind,
      time: conn && conn.synAttempts > 0 ? conn.firstSynUs : p.timeUs,
      endTime: p.timeUs,
      transport,
      // The quoted datagram's sender is the one whose traffic was refused.
      src: { ip: quoted.srcIp, ...(quoted.srcPort !== undefined ? { port: quoted.srcPort } : {}) },
      dst: { ip: quoted.dstIp, ...(quoted.dstPort !== undefined ? { port: quoted.dstPort } : {}) },
      source: this.options.source,
      ...(this.options.node ? { node: this.options.node } : {}),
      drop: {
        reason: verdict.reason,
        verdict: verdict.verdict,
        ...(conn && conn.synAttempts > 0 ? { attempts: conn.synAttempts } : {}),
      },
    });
  }

  private watchSyn(p: DecodedPacket): void {
    const tcp = p.tcp!;
    const syn = {
      timeUs: p.timeUs,
      srcIp: p.srcIp,
      srcPort: tcp.srcPort,
      dstIp: p.dstIp,
      dstPort: tcp.dstPort,
      isn: tcp.seq,
    };
    for (const watcher of this.watchers) {
      const raised = watcher.onSyn(syn);
      if (raised) {
        this.publish(raised);
      }
    }
  }

  private publish(event: NetworkEvent): void {
    this.events++;
    for (const enricher of this.enrichers) {
      try {
        enricher.enrich(event);
      } catch (err) {
        // One bad lookup must not stop the capture; the event goes on without that enrichment.
        this.stats.enrichErrors++;
        this.errors.record('enrich', err);
      }
    }
    for (const sink of this.sinks) {
      try {
        sink(event);
      } catch (err) {
        // A sink that fails on one event (metrics, an exporter) must not keep the event from the others.
        this.errors.record('sink', err);
      }
    }
    for (const watcher of this.watchers) {
      let raised: NetworkEvent | undefined;
      try {
        raised = watcher.onEvent(event);
      } catch (err) {
        this.errors.record('sink', err);
      }
      if (raised) {
        this.publish(raised);
      }
    }
  }
}
