// The agent, put together in the order data flows through it: sources → frame path → pipeline → enrichers
// (identity, then policy, over one cluster view) → store → sinks (API, Loki, OTLP, metrics). Nothing registers
// itself on import; every part is built here from the config, or handed in, so a test assembles exactly what it needs.
import { AgentApiServer, type HealthFields } from '../api/agentApiServer';
import { type AgentConfig, parseListen, resolveApiToken } from '../config';
import { type CaptureReadReport, readCaptureInto } from '../decode/decodeCapture';
import { FramePath } from '../decode/framePath';
import { NflogDrops } from '../decode/nflog/nflogDrops';
import { PacketDecoder } from '../decode/packetDecoder';
import { ExportMetrics } from '../export/exportMetrics';
import { AgentMetrics, ShedCounters } from '../metrics/agentMetrics';
import { type EventSink, PacketPipeline } from '../pipeline';
import { PipelineErrors } from '../pipelineErrors';
import { securitySignalsFrom } from '../signals/securitySignals';
import { EventStore } from '../store/eventStore';
import { type AgentLog, jsonLinesLog } from './agentLog';
import { type ClusterView, clusterViewFor } from './clusterView';
import { identityEnricher, policyEnricher } from './enrichers';
import { exportersFrom } from './exporters';
import { LiveSources } from './liveSources';
import { type AgentInput, sourcesFor } from './sources';

export interface AgentParts {
  log?: AgentLog;
  // Read for the live cluster view (WIRETRACE_KUBECONFIG, KUBERNETES_SERVICE_HOST); process.env by default.
  env?: NodeJS.ProcessEnv;
  // A cluster view of the caller's instead of the one the config names (null: none at all).
  clusterView?: ClusterView | null;
  // Gets every finished event after the agent's own sinks (analyze prints them).
  onEvent?: EventSink;
}

export interface AgentStarted {
  // Live: capture and every source started. File: the whole capture was read without a cut.
  ok: boolean;
  // File: what the read saw (format, decoder counters, the error that cut it).
  capture?: CaptureReadReport;
}

export interface Agent {
  readonly pipeline: PacketPipeline;
  readonly frames: FramePath;
  // A live agent's recent window and metrics, served by its API.
  readonly store?: EventStore;
  readonly metrics?: AgentMetrics;
  start(): Promise<AgentStarted>;
  // Sources stopped, open connections and folded drops reported, exporters flushed, the API closed.
  stop(): Promise<void>;
}

const TICK_MS = 250;

// Throws ConfigError or ClusterFileError, naming the problem, before anything has started.
export function assemble(config: AgentConfig, input: AgentInput, parts: AgentParts = {}): Agent {
  const log = parts.log ?? jsonLinesLog();
  const live = input.kind === 'live';

  // Sources: checked now, started by start().
  const sources = sourcesFor(config, input);
  const liveSources =
    sources.packets.kind === 'live' ? new LiveSources(sources.packets.capture, sources, config.node, log) : undefined;

  // Frame path: live frames, NFLOG frames and capture files take one way to decoded packets and logged drops.
  const nflogDrops = sources.nflogDrops && new NflogDrops((e) => pipeline.handleEvent(e), sources.nflogDrops);
  // The pipeline keeps nothing of a packet past its call, so the decoder hands it one reused packet object.
  const frames = new FramePath(
    (p) => pipeline.handlePacket(p),
    new PacketDecoder(undefined, { reusePackets: true }),
    nflogDrops
  );

  // Pipeline: trackers turn packets into events; sources of finished events (Hubble) join after them.
  const pipelineErrors = new PipelineErrors(live ? { log: (m, fields) => log('error', m, fields) } : undefined);
  const pipeline = new PacketPipeline(
    { ...config.tracker, source: 'pcap', node: live ? config.node : undefined },
    pipelineErrors
  );

  // Enrichers: identity, then policy, both over one view of the cluster (a cluster file is read once).
  const clusterFile = input.kind === 'file' ? (input.clusterFile ?? config.clusterFile) : config.clusterFile;
  const cluster =
    parts.clusterView === undefined
      ? clusterViewFor(clusterFile, live, parts.env ?? process.env, log)
      : (parts.clusterView ?? undefined);
  if (cluster) {
    pipeline.addEnricher(identityEnricher(cluster)).addEnricher(policyEnricher(cluster));
    log('info', `enrichers identity and policy enabled (${cluster.name})`);
  }

  // Store: a live agent keeps the recent window its API serves.
  const store = live ? new EventStore({ maxBytes: config.store.maxBytes }) : undefined;

  // Sinks: the store and metrics (served by the API), the caller's, then Loki and OTLP.
  const shed = new ShedCounters();
  const metrics =
    store &&
    new AgentMetrics({
      tracker: pipeline.stats,
      decode: frames.decoder.counters,
      store,
      openConnections: () => pipeline.openConnections,
      shed,
      pipelineErrors,
    });
  const registries = metrics && [metrics.prometheus, metrics.openMetrics];
  if (store && metrics) {
    pipeline.addSink((e) => store.add(e)).addSink((e) => metrics.record(e));
  }

  // Security signals: a watcher on connections as they start; the signals it raises go to every sink below.
  const signals = securitySignalsFrom(config.security, {
    origin: input.origin,
    source: 'pcap',
    node: live ? config.node : undefined,
    registries,
    log,
  });
  if (signals) {
    pipeline.addWatcher(signals.watcher);
    if (registries) {
      pipeline.addSink((e) => signals.metrics.record(e));
    }
    log(
      'info',
      `security signals enabled${signals.blocklist ? ` (${signals.config.blocklists.length} blocklists)` : ''}`
    );
  }
  if (parts.onEvent) {
    pipeline.addSink(parts.onEvent);
  }
  const exportMetrics =
    registries && (config.export.loki || config.export.otlp) ? new ExportMetrics(registries) : undefined;
  const exporters = exportersFrom(config, { metrics: exportMetrics, shed, log });
  for (const exporter of exporters) {
    pipeline.addSink(exporter.sink);
    log('info', `exporter ${exporter.name} enabled`);
  }
  const api = store && metrics && apiServer(config, store, metrics, () => health());
  const health = () => {
    const capture = liveSources!.health();
    return {
      problems: capture.reasons,
      packets: frames.decoder.counters.packets,
      openConnections: pipeline.openConnections,
      events: pipeline.events,
      pipelineErrors: pipelineErrors.total,
      interfaces: capture.interfaces,
    };
  };

  let tick: NodeJS.Timeout | undefined;
  return {
    pipeline,
    frames,
    store,
    metrics,
    async start() {
      cluster?.start(registries);
      if (sources.packets.kind === 'file') {
        // A capture is read against the blocklists as they were at start; only a live agent reloads them.
        const capture = await readCaptureInto(sources.packets.path, frames);
        return { ok: !capture.error, capture };
      }
      const address = await api!.server.start();
      log('info', 'agent API listening', {
        address: `${address.host}:${address.port}`,
        auth: api!.token ? 'bearer' : 'none (loopback)',
      });
      signals?.start();
      const ok = await liveSources!.start({ frames, pipeline, shed }, address.port);
      // Timeouts (unanswered SYNs, idle connections, DNS, folded NFLOG drops) fire on the wall clock between packets.
      tick = setInterval(() => {
        pipeline.advance(Date.now() * 1000);
        nflogDrops?.advance(Date.now() * 1000);
      }, TICK_MS);
      return { ok };
    },
    async stop() {
      clearInterval(tick);
      signals?.stop();
      await liveSources?.stop();
      nflogDrops?.flush();
      pipeline.flush(live ? Date.now() * 1000 : undefined);
      await Promise.all(
        exporters.map((e) => e.close().catch((err: unknown) => log('error', `exporter ${e.name}: ${String(err)}`)))
      );
      await cluster?.stop();
      await api?.server.stop();
      if (live) {
        log('info', 'agent stopped', { packets: frames.decoder.counters.packets, events: pipeline.events });
      }
    },
  };
}

function apiServer(config: AgentConfig, store: EventStore, metrics: AgentMetrics, health: () => HealthFields) {
  const token = resolveApiToken(config.api);
  const { host, port } = parseListen(config.api.listen);
  return { token, server: new AgentApiServer({ host, port, token, node: config.node, store, metrics, health }) };
}
