// Tempo over HTTP: TraceQL search for CLIENT spans, trace by id (v2 with v1 fallback), tag values.
import { normalizeTraceId } from '../../model/traceId';
import { QueryError, type TimeRange } from '../datasource/types';
import type { UpstreamClient } from './http';
import type { ClientSpanResult, ClientSpanSearch, TraceStore } from './traceStore';
import { clientSpanTraceQL, parseTempoSearch } from './tempoSearch';
import { parseTempoTrace, type ParsedTrace } from './tempoTrace';

export interface SpanSearchRequest extends ClientSpanSearch {
  // Spans per matching spanset (Tempo's spss).
  spansPerSpanSet?: number;
}

export interface SpanSearchResult extends ClientSpanResult {
  traceQL: string;
}

export class TempoClient implements TraceStore {
  readonly kind = 'tempo';

  constructor(private readonly http: UpstreamClient) {}

  get name(): string {
    return this.http.name;
  }

  async searchClientSpans(request: SpanSearchRequest): Promise<SpanSearchResult> {
    const traceQL = clientSpanTraceQL(request);
    const body = await this.http.getJson<unknown>('/api/search', {
      query: {
        q: traceQL,
        ...secondsRange(request.range),
        limit: Math.max(1, Math.floor(request.limit)),
        spss: request.spansPerSpanSet ?? 50,
      },
      signal: request.signal,
    });
    return { ...parseTempoSearch(body), traceQL, executedQuery: traceQL };
  }

  // Undefined when neither API knows the trace.
  async traceById(rawTraceId: string, range?: TimeRange, signal?: AbortSignal): Promise<ParsedTrace | undefined> {
    const traceId = normalizeTraceId(rawTraceId);
    if (!traceId) {
      throw new QueryError(400, `trace id ${JSON.stringify(rawTraceId)} is not 1 to 32 hex digits`, 'plugin');
    }
    const query = range ? secondsRange(range) : undefined;
    for (const path of [`/api/v2/traces/${traceId}`, `/api/traces/${traceId}`]) {
      const response = await this.http.request(path, { query, signal, acceptStatus: [404] });
      if (response.status !== 404) {
        return parseTempoTrace(this.http.parseJson<unknown>(path, response.text));
      }
    }
    return undefined;
  }

  // v2 answers typed values, v1 plain strings; both become strings.
  async tagValues(tag: string, range?: TimeRange, signal?: AbortSignal): Promise<string[]> {
    const path = `/api/v2/search/tag/${encodeURIComponent(tag)}/values`;
    const body = await this.http.getJson<{ tagValues?: unknown }>(path, {
      query: range ? secondsRange(range) : undefined,
      signal,
    });
    const values = Array.isArray(body?.tagValues) ? body.tagValues : [];
    return values
      .map((v: unknown) => (typeof v === 'string' ? v : (v as { value?: unknown })?.value))
      .filter((v): v is string => typeof v === 'string')
      .sort();
  }
}

// Tempo takes whole Unix seconds; widen so the edges of the range stay inside.
export function secondsRange(range: TimeRange): { start: number; end: number } {
  const start = Math.floor(range.fromMs / 1000);
  const end = Math.max(start + 1, Math.ceil(range.toMs / 1000));
  return { start, end };
}
