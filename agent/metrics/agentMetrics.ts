// The agent's Prometheus metrics. Two registries hold twin metric sets because prom-client renames counters when an
// OpenMetrics scrape formats them; the OpenMetrics set also carries trace-id exemplars on HTTP latency.
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type OpenMetricsContentType,
  type RegistryContentType,
} from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import type { DecodeCounters } from '../decode/packet';
import { PIPELINE_STAGES, type PipelineErrors } from '../pipelineErrors';
import type { TrackerStats } from '../track/trackerStats';

// Live numbers read at scrape time rather than pushed on every packet.
export interface MetricSources {
  tracker: TrackerStats;
  decode: DecodeCounters;
  store?: { size: number; bytes: number; evictions: number };
  openConnections?: () => number;
  shed: ShedCounters;
  pipelineErrors?: PipelineErrors;
}

// What bounded queues gave up: packets the kernel or a sensor dropped, events an exporter could not keep.
export class ShedCounters {
  packets = 0;
  events = 0;
}

const RTT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class MetricSet {
  readonly handshakeRtt: Histogram<string>;
  readonly drops: Counter<'reason'>;
  readonly dns: Counter<'rcode'>;
  readonly httpRequests: Counter<'status'>;
  // Label names include the exemplar's trace_id, hence string.
  readonly httpLatency: Histogram<string>;
  readonly events: Counter<'kind'>;
  readonly apiRequests: Counter<'path' | 'code'>;

  constructor(
    registry: Registry<RegistryContentType>,
    private readonly exemplars: boolean,
    sources: MetricSources
  ) {
    const registers = [registry];
    this.handshakeRtt = new Histogram({
      name: 'wiretrace_tcp_handshake_rtt_seconds',
      help: 'TCP handshake time at the capture point (SYN to the handshake ACK)',
      buckets: RTT_BUCKETS,
      registers,
    });
    this.drops = new Counter({
      name: 'wiretrace_drops_total',
      help: 'Drops by reason',
      labelNames: ['reason'],
      registers,
    });
    this.dns = new Counter({
      name: 'wiretrace_dns_responses_total',
      help: 'DNS exchanges by response code (unanswered: none)',
      labelNames: ['rcode'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'wiretrace_http_requests_total',
      help: 'HTTP exchanges by status (none: no response)',
      labelNames: ['status'],
      registers,
    });
    this.httpLatency = new Histogram({
      name: 'wiretrace_http_request_duration_seconds',
      help: 'HTTP request to response latency at the capture point',
      labelNames: ['status'],
      buckets: HTTP_BUCKETS,
      enableExemplars: exemplars,
      registers,
    });
    this.events = new Counter({
      name: 'wiretrace_events_total',
      help: 'Events produced by kind',
      labelNames: ['kind'],
      registers,
    });
    this.apiRequests = new Counter({
      name: 'wiretrace_api_requests_total',
      help: 'Agent API requests by route (other: any unknown path) and status code',
      labelNames: ['path', 'code'],
      registers,
    });
    const fromStats = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const t = sources.tracker;
    fromStats(
      'wiretrace_tcp_retransmits_total',
      'TCP segments sent again (SYN retransmissions included)',
      () => t.retransmits
    );
    fromStats(
      'wiretrace_tcp_fast_retransmits_total',
      'TCP retransmissions after three duplicate ACKs',
      () => t.fastRetransmits
    );
    fromStats('wiretrace_tcp_out_of_order_total', 'TCP segments that arrived out of order', () => t.outOfOrder);
    fromStats('wiretrace_tcp_zero_window_total', 'TCP zero-window advertisements', () => t.zeroWindow);
    fromStats(
      'wiretrace_tcp_connections_evicted_total',
      'Connections evicted because the table was full',
      () => t.connectionsEvicted
    );
    fromStats('wiretrace_reassembly_gaps_total', 'Holes in reassembled TCP streams', () => t.reassemblyGaps);
    fromStats(
      'wiretrace_http_resyncs_total',
      'HTTP/1 streams that lost their framing to uncaptured bytes and resumed at the next message',
      () => t.httpResyncs
    );
    fromStats(
      'wiretrace_app_parse_errors_total',
      'Application payloads (DNS, HTTP, TLS) that did not parse',
      () => t.parseErrors
    );
    fromStats(
      'wiretrace_duplicate_packets_total',
      'Copies of forwarded packets (one per extra interface) dropped before tracking',
      () => t.duplicatePackets
    );
    fromStats('wiretrace_enrich_errors_total', 'Events an enricher (identity, policy) failed on', () => t.enrichErrors);
    fromStats(
      'wiretrace_shed_packets_total',
      'Packets the capture dropped before decoding',
      () => sources.shed.packets
    );
    fromStats('wiretrace_shed_events_total', 'Events dropped by full queues', () => sources.shed.events);
    fromStats(
      'wiretrace_shed_pending_total',
      'Pending DNS queries and HTTP requests evicted by their caps',
      () => t.dnsPendingEvicted + t.httpPendingEvicted
    );
    new Counter({
      name: 'wiretrace_packets_total',
      help: 'Packets decoded',
      registers,
      collect() {
        this.reset();
        this.inc(sources.decode.packets);
      },
    });
    new Counter({
      name: 'wiretrace_decoder_errors_total',
      help: 'Packets the decoders could not read, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        const d = sources.decode;
        this.reset();
        this.inc({ kind: 'malformed' }, d.malformed);
        this.inc({ kind: 'truncated' }, d.truncated);
        this.inc({ kind: 'unsupported_link_type' }, d.unsupportedLinkType);
        this.inc({ kind: 'unsupported_protocol' }, d.unsupportedProtocol);
      },
    });
    if (sources.pipelineErrors) {
      const errors = sources.pipelineErrors;
      new Counter({
        name: 'wiretrace_pipeline_errors_total',
        help: 'Exceptions caught while handling a packet or an event, by pipeline stage (the pipeline went on)',
        labelNames: ['stage'],
        registers,
        collect() {
          this.reset();
          for (const stage of PIPELINE_STAGES) {
            this.inc({ stage }, errors.count(stage));
          }
        },
      });
    }
    if (sources.store) {
      const store = sources.store;
      fromStats(
        'wiretrace_store_evictions_total',
        'Events evicted from the in-memory store by its byte cap',
        () => store.evictions
      );
      new Gauge({
        name: 'wiretrace_store_events',
        help: 'Events held in memory',
        registers,
        collect() {
          this.set(store.size);
        },
      });
      new Gauge({
        name: 'wiretrace_store_bytes',
        help: 'Estimated bytes held by the store',
        registers,
        collect() {
          this.set(store.bytes);
        },
      });
    }
    if (sources.openConnections) {
      const open = sources.openConnections;
      new Gauge({
        name: 'wiretrace_tcp_connections',
        help: 'TCP connections being tracked',
        registers,
        collect() {
          this.set(open());
        },
      });
    }
  }

  record(e: NetworkEvent): void {
    this.events.inc({ kind: e.kind });
    if (e.kind === 'drop' && e.drop) {
      this.drops.inc({ reason: e.drop.reason });
    } else if (e.kind === 'dns' && e.dns) {
      this.dns.inc({ rcode: e.dns.rcode ?? 'none' });
    } else if (e.kind === 'http' && e.http) {
      const status = e.http.status !== undefined ? String(e.http.status) : 'none';
      this.httpRequests.inc({ status });
      if (e.http.latencyUs !== undefined) {
        const seconds = e.http.latencyUs / 1e6;
        // An exemplar-enabled histogram only takes the object form; without a trace id it records no exemplar.
        if (this.exemplars) {
          const exemplarLabels = e.traceId ? { trace_id: e.traceId } : {};
          this.httpLatency.observe({ value: seconds, labels: { status }, exemplarLabels });
        } else {
          this.httpLatency.observe({ status }, seconds);
        }
      }
    }
  }
}

export class AgentMetrics {
  readonly prometheus = new Registry();
  readonly openMetrics = new Registry<OpenMetricsContentType>();
  private readonly sets: MetricSet[];

  constructor(sources: MetricSources) {
    this.openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    this.sets = [new MetricSet(this.prometheus, false, sources), new MetricSet(this.openMetrics, true, sources)];
    sources.tracker.onHandshakeRtt = (us) => this.sets.forEach((s) => s.handshakeRtt.observe(us / 1e6));
  }

  record(event: NetworkEvent): void {
    for (const s of this.sets) {
      s.record(event);
    }
  }

  // Who reads the agent and how often: a backend's pod routing shows here as events requests on hosting nodes only.
  recordApiRequest(path: string, code: number): void {
    for (const s of this.sets) {
      s.apiRequests.inc({ path, code: String(code) });
    }
  }

  // Content negotiation: OpenMetrics (with exemplars) only when the scraper asks for it.
  async render(accept: string | undefined): Promise<{ contentType: string; body: string }> {
    const registry = accept?.includes('application/openmetrics-text') ? this.openMetrics : this.prometheus;
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}
