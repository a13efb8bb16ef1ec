// The one interface the queries read traces through (client spans of pods in a window; a trace by id), and the
// choice between its Tempo and Jaeger implementations from the datasource settings.
import type { TraceStoreKind } from '../../model/settings';
import type { DatasourceSettings, TimeRange } from '../datasource/types';
import { JaegerClient } from './jaeger/jaeger';
import type { SpanBatch } from './spanBatch';
import { TempoClient } from './tempo';
import type { ClientSpanFilter } from './tempoSearch';
import type { ParsedTrace } from './tempoTrace';
import { isConfigured, observabilityClient } from './upstreams';
import { jaegerQueryGrpc } from './jaeger/jaegerUpstream';
import type { ConcurrencyLimiter } from './limiter';

export interface ClientSpanSearch extends ClientSpanFilter {
  range: TimeRange;
  // Traces the store returns at most.
  limit: number;
  signal?: AbortSignal;
}

export interface ClientSpanResult {
  spans: SpanBatch;
  traces: number;
  // Entries without ids or times; counted, never thrown.
  skipped: number;
  // What was asked of the store, shown as the frame's executed query (TraceQL, or Jaeger's search parameters).
  executedQuery: string;
}

export interface TraceStore {
  readonly kind: TraceStoreKind;
  // Shown in notices and errors: "Tempo" or "Jaeger".
  readonly name: string;
  searchClientSpans(request: ClientSpanSearch): Promise<ClientSpanResult>;
  // Undefined when the store does not know the trace.
  traceById(traceId: string, range?: TimeRange, signal?: AbortSignal): Promise<ParsedTrace | undefined>;
}

export function traceStoreKind(settings: DatasourceSettings): TraceStoreKind {
  return settings.jsonData.traceStore ?? 'tempo';
}

export function traceStoreName(settings: DatasourceSettings): string {
  return traceStoreKind(settings) === 'jaeger' ? 'Jaeger' : 'Tempo';
}

// The setting a user fills to configure the chosen store, named in notices.
export function traceStoreUrlSetting(settings: DatasourceSettings): string {
  return `jsonData.${traceStoreKind(settings)}.url`;
}

export function isTraceStoreConfigured(settings: DatasourceSettings): boolean {
  return isConfigured(settings, traceStoreKind(settings));
}

// The chosen store's client; throws a 400 naming the missing setting when it is not configured.
export function traceStoreFor(settings: DatasourceSettings, limiter: ConcurrencyLimiter): TraceStore {
  if (traceStoreKind(settings) === 'jaeger') {
    return new JaegerClient(observabilityClient(settings, 'jaeger', limiter), jaegerQueryGrpc(settings, limiter));
  }
  return new TempoClient(observabilityClient(settings, 'tempo', limiter));
}
