/**
 * Durable export of NetworkEvents to Loki: POST /loki/api/v1/push (JSON body, structured metadata), batched,
 * retried with backoff, through a bounded buffer in memory or in a directory that survives restarts.
 */
import { readFileSync } from 'node:fs';
import type { NetworkEvent } from '../../model/events';
import type { BackoffPolicy } from './backoff';
import { BatchPusher, type BatchPusherCounters } from './batchPusher';
import { DiskExportBuffer } from './diskBuffer';
import { type ExportBuffer, MemoryExportBuffer } from './exportBuffer';
import { DEFAULT_EXPORT_SELECTION, type ExportSelection, isExported } from './exportFilter';
import type { ExportMetrics } from './exportMetrics';
import { type LokiEntry, lokiEntry, lokiPushBody } from './lokiEntry';
import { push, type PushOutcome } from './pushOutcome';

export interface LokiExporterOptions {
  // Loki's base URL (http://loki:3100); the push path is appended.
  url: string;
  // Sent as X-Scope-OrgID for multi-tenant Loki.
  tenant?: string;
  // A file holding a bearer token, re-read now and then so a rotated token is picked up.
  tokenFile?: string;
  basicAuth?: { username: string; password: string };
  batchSize?: number;
  batchWaitMs?: number;
  bufferBytes?: number;
  // When set, the buffer lives here and what was not delivered survives a restart.
  bufferDir?: string;
  selection?: Partial<ExportSelection>;
  timeoutMs?: number;
  backoff?: BackoffPolicy;
  metrics?: ExportMetrics;
  log?: (message: string) => void;
}

const TOKEN_REREAD_MS = 60_000;

export class LokiExporter {
  private readonly pusher: BatchPusher<LokiEntry>;
  private readonly selection: ExportSelection;
  private readonly pushUrl: string;
  private token: { value: string; readAt: number } | undefined;

  constructor(private readonly options: LokiExporterOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new Error(`loki: url "${options.url}" is not a valid URL`);
    }
    this.pushUrl = new URL('loki/api/v1/push', base.href.endsWith('/') ? base.href : `${base.href}/`).href;
    this.selection = { ...DEFAULT_EXPORT_SELECTION, ...options.selection };
    const bufferBytes = options.bufferBytes ?? 64 * 1024 * 1024;
    const buffer: ExportBuffer<LokiEntry> = options.bufferDir
      ? new DiskExportBuffer<LokiEntry>(options.bufferDir, bufferBytes)
      : new MemoryExportBuffer<LokiEntry>(bufferBytes, entrySize);
    this.pusher = new BatchPusher(
      buffer,
      (batch) => this.send(batch),
      {
        name: 'loki',
        batchSize: options.batchSize ?? 500,
        batchWaitMs: options.batchWaitMs ?? 1000,
        backoff: options.backoff,
        persistent: options.bufferDir !== undefined,
        log: options.log,
      },
      options.metrics
    );
  }

  get counters(): BatchPusherCounters {
    return this.pusher.counters;
  }

  /** Queues the event when its kind is exported; false when the buffer was full (counted as shed). */
  export(event: NetworkEvent): boolean {
    if (!isExported(event, this.selection)) {
      return true;
    }
    return this.pusher.enqueue(lokiEntry(event));
  }

  close(timeoutMs = 5000): Promise<void> {
    return this.pusher.close(timeoutMs);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.options.tenant) {
      headers['X-Scope-OrgID'] = this.options.tenant;
    }
    const token = this.bearerToken();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    } else if (this.options.basicAuth) {
      const { username, password } = this.options.basicAuth;
      headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return headers;
  }

  private bearerToken(): string | undefined {
    const file = this.options.tokenFile;
    if (!file) {
      return undefined;
    }
    const now = Date.now();
    if (!this.token || now - this.token.readAt > TOKEN_REREAD_MS) {
      try {
        this.token = { value: readFileSync(file, 'utf8').trim(), readAt: now };
      } catch (err) {
        // Keep the last token; say which file failed, never its content.
        this.options.log?.(`loki: cannot read token file ${file}: ${err instanceof Error ? err.message : err}`);
      }
    }
    return this.token?.value;
  }

  private send(batch: LokiEntry[]): Promise<PushOutcome> {
    return push({
      url: this.pushUrl,
      headers: this.headers(),
      body: JSON.stringify(lokiPushBody(batch)),
      timeoutMs: this.options.timeoutMs ?? 10_000,
    });
  }
}

function entrySize(entry: LokiEntry): number {
  let bytes = entry.line.length + entry.tsNs.length + entry.streamKey.length;
  for (const [k, v] of Object.entries(entry.metadata)) {
    bytes += k.length + v.length;
  }
  return bytes;
}
