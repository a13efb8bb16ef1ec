// `run`: the agent proper — live capture into the pipeline, the recent window in memory, the HTTP API and metrics.
import { parseArgs } from 'node:util';
import { AgentApiServer } from '../api/agentApiServer';
import { ConfigError, loadAgentConfig, parseListen, resolveApiToken } from '../config';
import { FramePath } from '../decode/framePath';
import { NflogDrops } from '../decode/nflog/nflogDrops';
import { newDecodeCounters } from '../decode/packet';
import { PacketDecoder } from '../decode/packetDecoder';
import { ClusterFileError } from '../kube/clusterFile';
import { AgentMetrics, ShedCounters } from '../metrics/agentMetrics';
import { PacketPipeline } from '../pipeline';
import { PipelineErrors } from '../pipelineErrors';
import { installExtensions } from '../pipelineExtensions';
import '../pipelineIdentity';
import '../identity/kubernetesEnrichers';
import '../export/pipelineExporters';
import { hubbleConfigFrom, type RunningEventSource, startHubbleSource } from '../sensors/hubble/hubbleConfig';
import { nflogConfigFrom, startNflogSource } from '../sensors/nflog/nflogConfig';
import { TcpdumpLiveSource } from '../sensors/liveCapture';
import { EventStore } from '../store/eventStore';
import type { AgentCommand } from './command';

const SYNOPSIS = 'run --config FILE';
const TICK_MS = 250;

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(
    JSON.stringify({ '@level': level, '@message': message, '@timestamp': new Date().toISOString(), ...fields }) + '\n'
  );
}

export const runCommand: AgentCommand = {
  synopsis: SYNOPSIS,
  summary: 'capture live traffic, serve recent events over HTTP and expose metrics',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      }));
    } catch (err) {
      process.stderr.write(`wiretrace-agent run: ${(err as Error).message}\nUsage: wiretrace-agent ${SYNOPSIS}\n`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(`Usage: wiretrace-agent ${SYNOPSIS}\n`);
      return 0;
    }
    if (!values.config) {
      process.stderr.write('wiretrace-agent run: --config FILE is required\n');
      return 2;
    }
    let config;
    let token;
    let listen;
    try {
      config = loadAgentConfig(values.config);
      token = resolveApiToken(config.api);
      listen = parseListen(config.api.listen);
      // Every section is checked before anything starts, so a misspelt key is a usage error, not a half-started agent.
      if (config.sources.hubble) {
        hubbleConfigFrom(config.sources.hubble);
      }
      if (config.sources.nflog) {
        nflogConfigFrom(config.sources.nflog, config.node);
      }
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`wiretrace-agent run: ${err.message}\n`);
        return 2;
      }
      throw err;
    }

    const shed = new ShedCounters();
    const decoder = new PacketDecoder(newDecodeCounters());
    const pipelineErrors = new PipelineErrors({ log: (m, fields) => log('error', m, fields) });
    const pipeline = new PacketPipeline({ ...config.tracker, source: 'pcap', node: config.node }, pipelineErrors);
    const store = new EventStore({ maxBytes: config.store.maxBytes });
    const metrics = new AgentMetrics({
      tracker: pipeline.stats,
      decode: decoder.counters,
      store,
      openConnections: () => pipeline.openConnections,
      shed,
      pipelineErrors,
    });
    pipeline.addSink((e) => store.add(e));
    pipeline.addSink((e) => metrics.record(e));
    let exporters;
    try {
      exporters = await installExtensions(pipeline, {
        mode: 'run',
        config,
        clusterFile: config.clusterFile,
        shed,
        registries: [metrics.prometheus, metrics.openMetrics],
        log: (m) => log('info', m),
      });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ClusterFileError) {
        process.stderr.write(`wiretrace-agent run: ${err.message}\n`);
        return 2;
      }
      throw err;
    }

    // Created once the API port is known (its traffic is filtered out); /healthz may be asked before that.
    let source: TcpdumpLiveSource | undefined;
    const api = new AgentApiServer({
      host: listen.host,
      port: listen.port,
      token,
      node: config.node,
      store,
      metrics,
      health: () => {
        const capture = source?.health() ?? { reasons: ['capture is starting'], interfaces: [] };
        return {
          problems: capture.reasons,
          packets: decoder.counters.packets,
          openConnections: pipeline.openConnections,
          events: pipeline.events,
          pipelineErrors: pipelineErrors.total,
          interfaces: capture.interfaces,
        };
      },
    });
    const address = await api.start();
    log('info', 'agent API listening', {
      address: `${address.host}:${address.port}`,
      auth: token ? 'bearer' : 'none (loopback)',
    });

    // The agent's own API traffic is never captured: every scrape would otherwise become events about itself.
    const ownApi = `not tcp port ${address.port}`;
    const capture = {
      ...config.capture,
      filter: config.capture.filter.trim() ? `(${config.capture.filter}) and ${ownApi}` : ownApi,
    };
    const nflogConfig = config.sources.nflog ? nflogConfigFrom(config.sources.nflog, config.node) : undefined;
    const nflogDrops = nflogConfig ? new NflogDrops((e) => pipeline.handleEvent(e), nflogConfig) : undefined;
    const frames = new FramePath((p) => pipeline.handlePacket(p), decoder, nflogDrops);
    source = new TcpdumpLiveSource(
      capture,
      {
        onFrame: frames.frame,
        onShed: (n) => (shed.packets += n),
        onError: (m) => log('error', m),
        onFrameError: (err) => pipelineErrors.record('decode', err),
      },
      { stallAfterMs: config.capture.stallAfterMs }
    );
    let failed = false;
    const eventSources: RunningEventSource[] = [];
    try {
      await source.start();
      // Hubble and NFLOG hand over finished events: they join the pipeline after the trackers.
      const { hubble } = config.sources;
      if (hubble) {
        eventSources.push(
          startHubbleSource(hubbleConfigFrom(hubble), config.node, (e) => pipeline.handleEvent(e), log)
        );
      }
      if (nflogConfig) {
        eventSources.push(await startNflogSource(nflogConfig, frames.frame, log));
      }
    } catch (err) {
      log('error', (err as Error).message);
      failed = true;
    }
    if (!failed) {
      log('info', 'capturing', { interfaces: capture.interfaces, filter: capture.filter });
    }
    // Timeouts (unanswered SYNs, idle connections, DNS) fire on the wall clock between packets.
    const tick = setInterval(() => {
      pipeline.advance(Date.now() * 1000);
      nflogDrops?.advance(Date.now() * 1000);
    }, TICK_MS);

    await new Promise<void>((resolve) => {
      if (failed) {
        resolve();
        return;
      }
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    clearInterval(tick);
    await Promise.all(eventSources.map((s) => s.stop()));
    await source?.stop();
    nflogDrops?.flush();
    pipeline.flush(Date.now() * 1000);
    await Promise.all(
      exporters.map((e) => e.close().catch((err: unknown) => log('error', `exporter ${e.name}: ${String(err)}`)))
    );
    await api.stop();
    log('info', 'agent stopped', { packets: decoder.counters.packets, events: pipeline.events });
    return failed ? 1 : 0;
  },
};
