// Plug points for the parts other modules add to the pipeline: enrichers (identity, policy) and exporters (Loki, OTLP).
// A module registers a factory once at load time; `run` and `analyze` build whatever is registered for their mode.
import type { Registry, RegistryContentType } from 'prom-client';
import type { AgentConfig } from './config';
import type { ShedCounters } from './metrics/agentMetrics';
import type { EventEnricher, EventSink, PacketPipeline } from './pipeline';

export interface ExtensionContext {
  mode: 'run' | 'analyze';
  config: AgentConfig;
  // The --cluster file (analyze) or config.clusterFile (run).
  clusterFile?: string;
  shed: ShedCounters;
  // Where extensions register their own metrics (the agent's /metrics registries), when there is one.
  registries?: Array<Registry<RegistryContentType>>;
  log(message: string): void;
}

export interface EventExporter {
  readonly name: string;
  sink: EventSink;
  // Flushes what is queued; called on shutdown and at the end of an analysis.
  close(): Promise<void>;
}

type Factory<T> = (ctx: ExtensionContext) => T | undefined | Promise<T | undefined>;

const enricherFactories = new Map<string, Factory<EventEnricher>>();
const exporterFactories = new Map<string, Factory<EventExporter>>();

// Enrichers run in registration order (identity before policy: the explainer needs the pods).
export function registerEnricher(name: string, factory: Factory<EventEnricher>): void {
  enricherFactories.set(name, factory);
}

export function registerExporter(name: string, factory: Factory<EventExporter>): void {
  exporterFactories.set(name, factory);
}

export function registeredExtensions(): { enrichers: string[]; exporters: string[] } {
  return { enrichers: [...enricherFactories.keys()], exporters: [...exporterFactories.keys()] };
}

// Builds every registered extension into the pipeline; returns the exporters so the caller can close them.
export async function installExtensions(pipeline: PacketPipeline, ctx: ExtensionContext): Promise<EventExporter[]> {
  for (const [name, factory] of enricherFactories) {
    const enricher = await factory(ctx);
    if (enricher) {
      pipeline.addEnricher(enricher);
      ctx.log(`enricher ${name} enabled`);
    }
  }
  const exporters: EventExporter[] = [];
  for (const [name, factory] of exporterFactories) {
    const exporter = await factory(ctx);
    if (exporter) {
      pipeline.addSink(exporter.sink);
      exporters.push(exporter);
      ctx.log(`exporter ${name} enabled`);
    }
  }
  return exporters;
}
