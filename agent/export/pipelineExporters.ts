// Registers the Loki and OTLP exporters with the pipeline when the config has `export.loki` / `export.otlp`.
import type { Registry, RegistryContentType } from 'prom-client';
import { type ExtensionContext, registerExporter } from '../pipelineExtensions';
import { lokiOptionsFromConfig, otlpOptionsFromConfig } from './exportConfig';
import { ExportMetrics } from './exportMetrics';
import { LokiExporter } from './lokiExporter';
import { OtlpDropExporter } from './otlpDropExporter';

// Both exporters share one metric set per set of registries (one per agent process).
const metricsByRegistry = new WeakMap<Registry<RegistryContentType>, ExportMetrics>();

function exportMetrics(ctx: ExtensionContext): ExportMetrics | undefined {
  const registries = ctx.registries;
  if (!registries || registries.length === 0) {
    return undefined;
  }
  let metrics = metricsByRegistry.get(registries[0]);
  if (!metrics) {
    metrics = new ExportMetrics(registries);
    metricsByRegistry.set(registries[0], metrics);
  }
  return metrics;
}

registerExporter('loki', (ctx) => {
  const raw = ctx.config.export.loki;
  if (!raw) {
    return undefined;
  }
  const exporter = new LokiExporter({ ...lokiOptionsFromConfig(raw), metrics: exportMetrics(ctx), log: ctx.log });
  let shed = 0;
  return {
    name: 'loki',
    sink: (event) => {
      exporter.export(event);
      // The agent-wide shed count includes what this exporter could not keep.
      const now = exporter.counters.shed.buffer_full + exporter.counters.shed.rejected;
      ctx.shed.events += now - shed;
      shed = now;
    },
    close: () => exporter.close(),
  };
});

registerExporter('otlp', (ctx) => {
  const raw = ctx.config.export.otlp;
  if (!raw) {
    return undefined;
  }
  const exporter = new OtlpDropExporter({
    ...otlpOptionsFromConfig(raw),
    node: ctx.config.node,
    metrics: exportMetrics(ctx),
    log: ctx.log,
  });
  return { name: 'otlp', sink: (event) => exporter.export(event), close: () => exporter.close() };
});
