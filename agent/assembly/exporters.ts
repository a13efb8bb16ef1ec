// The durable sinks the config asks for: every event to Loki (`export.loki`), traced drops to OTLP (`export.otlp`).
// Both count what they send and shed in one metric set on the agent's registries, when it serves /metrics.
import type { AgentConfig } from '../config';
import { lokiOptionsFromConfig, otlpOptionsFromConfig } from '../export/exportConfig';
import type { ExportMetrics } from '../export/exportMetrics';
import { LokiExporter } from '../export/lokiExporter';
import { OtlpDropExporter } from '../export/otlpDropExporter';
import type { ShedCounters } from '../metrics/agentMetrics';
import type { EventSink } from '../pipeline';
import type { AgentLog } from './agentLog';

export interface EventExporter {
  readonly name: string;
  sink: EventSink;
  // Flushes what is queued; called on shutdown and at the end of an analysis.
  close(): Promise<void>;
}

export interface ExporterContext {
  metrics?: ExportMetrics;
  // The agent-wide count of events given up, which includes what an exporter could not keep.
  shed: ShedCounters;
  log: AgentLog;
}

// Throws ConfigError naming the key of a bad setting.
export function exportersFrom(config: AgentConfig, ctx: ExporterContext): EventExporter[] {
  const exporters: EventExporter[] = [];
  const log = (message: string) => ctx.log('info', message);
  if (config.export.loki) {
    const exporter = new LokiExporter({ ...lokiOptionsFromConfig(config.export.loki), metrics: ctx.metrics, log });
    let shed = 0;
    exporters.push({
      name: 'loki',
      sink: (event) => {
        exporter.export(event);
        const now = exporter.counters.shed.buffer_full + exporter.counters.shed.rejected;
        ctx.shed.events += now - shed;
        shed = now;
      },
      close: () => exporter.close(),
    });
  }
  if (config.export.otlp) {
    const exporter = new OtlpDropExporter({
      ...otlpOptionsFromConfig(config.export.otlp),
      node: config.node,
      metrics: ctx.metrics,
      log,
    });
    exporters.push({ name: 'otlp', sink: (event) => exporter.export(event), close: () => exporter.close() });
  }
  return exporters;
}
