// Prometheus metrics of the durable exporters, labelled by exporter (loki, otlp): sent, retried, shed, buffered.
import { Counter, Gauge, type Registry, type RegistryContentType } from 'prom-client';

export type ShedReason = 'buffer_full' | 'rejected' | 'closed';

export interface ExportMetricSource {
  bufferBytes(): number;
  bufferEntries(): number;
}

export class ExportMetrics {
  readonly sent: Counter<'exporter'>;
  readonly retried: Counter<'exporter'>;
  readonly shed: Counter<'exporter' | 'reason'>;
  private readonly sources = new Map<string, ExportMetricSource>();

  constructor(registries: Array<Registry<RegistryContentType>>) {
    const registers = registries;
    this.sent = new Counter({
      name: 'wiretrace_export_sent_total',
      help: 'Entries (log lines or spans) the remote store accepted',
      labelNames: ['exporter'],
      registers,
    });
    this.retried = new Counter({
      name: 'wiretrace_export_retries_total',
      help: 'Pushes retried after a 429, 5xx or network error',
      labelNames: ['exporter'],
      registers,
    });
    this.shed = new Counter({
      name: 'wiretrace_export_shed_total',
      help: 'Entries given up: the buffer was full, the store rejected them (4xx), or shutdown left them unsent',
      labelNames: ['exporter', 'reason'],
      registers,
    });
    const sources = this.sources;
    new Gauge({
      name: 'wiretrace_export_buffer_bytes',
      help: 'Bytes waiting in the export buffer',
      labelNames: ['exporter'],
      registers,
      collect() {
        for (const [exporter, source] of sources) {
          this.set({ exporter }, source.bufferBytes());
        }
      },
    });
    new Gauge({
      name: 'wiretrace_export_buffer_entries',
      help: 'Entries waiting in the export buffer',
      labelNames: ['exporter'],
      registers,
      collect() {
        for (const [exporter, source] of sources) {
          this.set({ exporter }, source.bufferEntries());
        }
      },
    });
  }

  track(exporter: string, source: ExportMetricSource): void {
    this.sources.set(exporter, source);
  }
}
