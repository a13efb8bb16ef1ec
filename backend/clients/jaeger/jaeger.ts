// Jaeger as a trace store: client spans of pods searched over gRPC (the only API that honours attribute
// filters), traces by id over HTTP (/api/v3/traces/{id}, OTLP JSON); both become the same spans Tempo's do.
import { normalizeTraceId } from '../../../model/traceId';
import { QueryError, type TimeRange } from '../../datasource/types';
import type { UpstreamClient } from '../http';
import { SpanBatchBuilder } from '../spanBatch';
import { parseTempoTrace, type ParsedTrace } from '../tempoTrace';
import type { ClientSpanResult, ClientSpanSearch, TraceStore } from '../traceStore';
import { clientSpanSelection, jaegerSearches } from './jaegerSearch';
import type { JaegerQueryGrpc } from './jaegerQueryGrpc';

export class JaegerClient implements TraceStore {
  readonly kind = 'jaeger';

  constructor(
    private readonly http: UpstreamClient,
    private readonly grpc: JaegerQueryGrpc
  ) {}

  get name(): string {
    return this.http.name;
  }

  async searchClientSpans(request: ClientSpanSearch): Promise<ClientSpanResult> {
    const searches = jaegerSearches(request);
    const answers = await Promise.all(searches.map((s) => this.grpc.findTraces(s, request.signal)));
    const selection = clientSpanSelection(request);
    const builder = new SpanBatchBuilder(1024);
    // A trace matching several searches comes back once per search; each span is kept once.
    const kept = new Set<string>();
    const traces = new Set<string>();
    let skipped = 0;
    for (const chunks of answers) {
      for (const chunk of chunks) {
        const parsed = parseTempoTrace(chunk);
        skipped += parsed.skipped;
        for (const span of parsed.spans) {
          const key = `${span.traceId}/${span.spanId}`;
          if (kept.has(key) || !selection.accepts(span)) {
            continue;
          }
          kept.add(key);
          traces.add(span.traceId);
          builder.addSpan(selection.trim(span));
        }
      }
    }
    return {
      spans: builder.build(),
      traces: traces.size,
      skipped,
      executedQuery: `FindTraces ${searches.map(describeSearch).join(' | ')}`,
    };
  }

  // Jaeger's HTTP API answers OTLP JSON wrapped in {"result": …}; 404 "No traces found" is an unknown trace.
  async traceById(rawTraceId: string, range?: TimeRange, signal?: AbortSignal): Promise<ParsedTrace | undefined> {
    const traceId = normalizeTraceId(rawTraceId);
    if (!traceId) {
      throw new QueryError(400, `trace id ${JSON.stringify(rawTraceId)} is not 1 to 32 hex digits`, 'plugin');
    }
    const path = `/api/v3/traces/${traceId}`;
    const query = range
      ? { start_time: new Date(range.fromMs).toISOString(), end_time: new Date(range.toMs).toISOString() }
      : undefined;
    const response = await this.http.request(path, { query, signal, acceptStatus: [404] });
    if (response.status === 404) {
      return undefined;
    }
    const body = this.http.parseJson<{ result?: unknown }>(path, response.text);
    return parseTempoTrace(body?.result ?? body);
  }
}

function describeSearch(search: ReturnType<typeof jaegerSearches>[number]): string {
  const parts = search.serviceName ? [`service=${search.serviceName}`] : [];
  for (const [key, value] of Object.entries(search.attributes ?? {})) {
    parts.push(`${key}=${value}`);
  }
  return `{${parts.join(', ')}}`;
}
