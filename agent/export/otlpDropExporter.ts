/**
 * Sends drops with a known trace as `network.drop` spans to an OTLP/HTTP endpoint (`/v1/traces`, protobuf),
 * so Tempo shows the drop inside the request's trace. Batched, retried with backoff, bounded in memory.
 */
import type { NetworkEvent } from '../../model/events';
import type { BackoffPolicy } from './backoff';
import { BatchPusher, type BatchPusherCounters } from './batchPusher';
import { type AttributeValue, type DropSpan, dropSpan } from './dropSpan';
import { MemoryExportBuffer } from './exportBuffer';
import type { ExportMetrics } from './exportMetrics';
import { encodeDropSpans } from './otlpRequest';
import { push, type PushOutcome } from './pushOutcome';

export interface OtlpDropExporterOptions {
  // OTLP/HTTP base URL (http://tempo:4318) or the full /v1/traces URL.
  url: string;
  // Extra request headers, e.g. X-Scope-OrgID or Authorization for a gateway.
  headers?: Record<string, string>;
  node?: string;
  batchSize?: number;
  batchWaitMs?: number;
  bufferBytes?: number;
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  metrics?: ExportMetrics;
  log?: (message: string) => void;
}

function tracesUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`otlp: url "${raw}" is not a valid URL`);
  }
  if (!url.pathname.endsWith('/v1/traces')) {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
  }
  return url.href;
}

function spanSize(span: DropSpan): number {
  let bytes = 64 + span.name.length + span.statusMessage.length;
  for (const [k, v] of Object.entries(span.attributes)) {
    bytes += k.length + String(v).length + 8;
  }
  return bytes;
}

export class OtlpDropExporter {
  private readonly pusher: BatchPusher<DropSpan>;
  private readonly url: string;
  private readonly resource: Record<string, AttributeValue>;

  constructor(private readonly options: OtlpDropExporterOptions) {
    this.url = tracesUrl(options.url);
    this.resource = { 'service.name': 'wiretrace-agent' };
    if (options.node) {
      this.resource['k8s.node.name'] = options.node;
    }
    this.pusher = new BatchPusher(
      new MemoryExportBuffer<DropSpan>(options.bufferBytes ?? 8 * 1024 * 1024, spanSize),
      (batch) => this.send(batch),
      {
        name: 'otlp',
        batchSize: options.batchSize ?? 256,
        batchWaitMs: options.batchWaitMs ?? 1000,
        backoff: options.backoff,
        log: options.log,
      },
      options.metrics
    );
  }

  get counters(): BatchPusherCounters {
    return this.pusher.counters;
  }

  /** Queues a span for a drop with a trace id; other events are ignored. False when the buffer was full. */
  export(event: NetworkEvent): boolean {
    const span = dropSpan(event);
    return span ? this.pusher.enqueue(span) : true;
  }

  close(timeoutMs = 5000): Promise<void> {
    return this.pusher.close(timeoutMs);
  }

  private send(batch: DropSpan[]): Promise<PushOutcome> {
    return push({
      url: this.url,
      headers: { ...this.options.headers, 'Content-Type': 'application/x-protobuf' },
      body: encodeDropSpans(batch, this.resource),
      timeoutMs: this.options.timeoutMs ?? 10_000,
    });
  }
}
