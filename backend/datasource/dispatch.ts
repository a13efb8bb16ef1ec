// Answers each query of a QueryData request on its own: a failing query never takes down its siblings.
import type { Frame } from '../frames/frame';
import { truncateFrame } from '../frames/truncate';
import type { BackendMetrics } from './metrics';
import { parseQuery } from './parseQuery';
import type { DataQueryRequest, DataQueryResponse, InstanceSettings } from './requests';
import { QueryError, type Logger, type QueryContext, type QueryHandlers } from './types';

export const DEFAULT_MAX_ROWS = 50_000;

export class QueryDispatcher {
  constructor(
    private readonly handlers: QueryHandlers,
    private readonly metrics?: BackendMetrics
  ) {}

  async queryData(
    queries: DataQueryRequest[],
    settings: InstanceSettings,
    signal: AbortSignal,
    logger: Logger
  ): Promise<Record<string, DataQueryResponse>> {
    const answers = await Promise.all(queries.map((q) => this.answer(q, settings, signal, logger)));
    const responses: Record<string, DataQueryResponse> = {};
    queries.forEach((q, i) => (responses[q.refId] = answers[i]));
    return responses;
  }

  private async answer(
    request: DataQueryRequest,
    settings: InstanceSettings,
    signal: AbortSignal,
    parentLogger: Logger
  ): Promise<DataQueryResponse> {
    const started = performance.now();
    const logger = parentLogger.with({ refId: request.refId });
    let queryType = request.queryType || 'unknown';
    let response: DataQueryResponse;
    try {
      if (settings instanceof Error) {
        throw settings;
      }
      const query = parseQuery(request.json, request.queryType);
      queryType = query.queryType;
      const handler = this.handlers[query.queryType];
      if (!handler) {
        throw new QueryError(501, `query type ${query.queryType} is not implemented by this backend yet`, 'plugin');
      }
      const ctx: QueryContext = {
        refId: request.refId,
        query,
        timeRange: request.timeRange,
        maxDataPoints: request.maxDataPoints,
        intervalMs: request.intervalMs,
        settings,
        signal,
        logger: logger.with({ queryType }),
        notices: [],
      };
      const frames = await handler(ctx);
      response = { frames: this.finish(frames, ctx), status: 200 };
    } catch (err) {
      response = errorResponse(err, signal);
      this.metrics?.errors.inc({ query_type: queryType, source: response.errorSource ?? 'plugin' });
      const log = response.status >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger);
      log('query failed', {
        queryType,
        status: response.status,
        errorSource: response.errorSource,
        error: response.error,
      });
    }
    this.metrics?.observe('queryData', queryType, response.status, (performance.now() - started) / 1000);
    return response;
  }

  // Sets refIds, applies the row limit and attaches the handler's partial-failure notices.
  private finish(frames: Frame[], ctx: QueryContext): Frame[] {
    const maxRows = ctx.settings.jsonData.maxRows ?? DEFAULT_MAX_ROWS;
    const out = frames.map((f) => truncateFrame({ ...f, refId: f.refId || ctx.refId }, maxRows));
    if (ctx.notices.length > 0) {
      if (out.length === 0) {
        out.push({ name: ctx.refId, refId: ctx.refId, fields: [] });
      }
      out[0] = { ...out[0], meta: { ...out[0].meta, notices: [...(out[0].meta?.notices ?? []), ...ctx.notices] } };
    }
    return out;
  }
}

export function errorResponse(err: unknown, signal?: AbortSignal): DataQueryResponse {
  if (err instanceof QueryError) {
    return { frames: [], status: err.status, error: err.message, errorSource: err.source };
  }
  if (signal?.aborted) {
    return { frames: [], status: 499, error: 'query cancelled by Grafana', errorSource: 'downstream' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { frames: [], status: 500, error: `internal error: ${message}`, errorSource: 'plugin' };
}
