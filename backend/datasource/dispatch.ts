// Answers each query of a QueryData request on its own: a failing query never takes down its siblings.
import type { Frame } from '../frames/frame';
import { truncateFrame } from '../frames/truncate';
import { LogRateLimit } from './logRateLimit';
import { targetLabel, type BackendMetrics } from './metrics';
import { checkTimeRange, parseQuery } from './parseQuery';
import { secretMaskFor, settingsSecrets } from './secretMask';
import type { DatasourceInstance } from '../instance/datasourceInstance';
import type { DataQueryRequest, DataQueryResponse } from './requests';
import { quoteInput } from './quoteInput';
import { QueryError, type Logger, type QueryContext, type QueryHandlers } from './types';

export const DEFAULT_MAX_ROWS = 50_000;

export class QueryDispatcher {
  private readonly failureLogs = new LogRateLimit();

  constructor(
    private readonly handlers: QueryHandlers,
    private readonly metrics?: BackendMetrics
  ) {}

  async queryData(
    queries: DataQueryRequest[],
    instance: DatasourceInstance | Error,
    signal: AbortSignal,
    logger: Logger
  ): Promise<Record<string, DataQueryResponse>> {
    // Grafana keys answers by refId, so queries sharing one cannot each be answered. Answering one of them would
    // show a result the user cannot tie to a query; Grafana's editors keep refIds unique, so a duplicate is a
    // broken request: each refId used twice gets one 400 naming it, and none of its queries runs.
    const uses = new Map<string, number>();
    queries.forEach((q) => uses.set(q.refId, (uses.get(q.refId) ?? 0) + 1));
    // No prototype: a refId "__proto__" is a key like any other, not the object's prototype.
    const responses = Object.create(null) as Record<string, DataQueryResponse>;
    const unique = queries.filter((q) => uses.get(q.refId) === 1);
    const answers = await Promise.all(unique.map((q) => this.answer(q, instance, signal, logger)));
    unique.forEach((q, i) => (responses[q.refId] = answers[i]));
    for (const [refId, count] of uses) {
      if (count > 1) {
        responses[refId] = duplicateRefIdResponse(refId, count);
        this.metrics?.observe('queryData', 'unknown', 400, 0);
      }
    }
    return responses;
  }

  private async answer(
    request: DataQueryRequest,
    instance: DatasourceInstance | Error,
    signal: AbortSignal,
    parentLogger: Logger
  ): Promise<DataQueryResponse> {
    const started = performance.now();
    const logger = parentLogger.with({ refId: request.refId });
    // Only known query types reach labels and log fields; the raw field may be anything, of any size.
    let queryType = targetLabel(request.queryType) || 'unknown';
    let response: DataQueryResponse;
    try {
      if (instance instanceof Error) {
        throw instance;
      }
      const query = parseQuery(request.json, request.queryType);
      checkTimeRange(request.timeRange);
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
        instance,
        signal,
        logger: logger.with({ queryType }),
        notices: [],
      };
      const frames = await handler(ctx);
      response = { frames: this.finish(frames, ctx), status: 200 };
    } catch (err) {
      response = errorResponse(err, signal);
      if (!(instance instanceof Error) && response.error) {
        // Upstream clients mask their own credentials; this catches any secret of the datasource in any message.
        response.error = secretMaskFor(settingsSecrets(instance.settings)).mask(response.error);
      }
      this.metrics?.queryFailed(queryType, response.errorSource ?? 'plugin');
      const allowance = this.failureLogs.allow(`${queryType}/${response.status}/${response.errorSource}`);
      if (allowance.allowed) {
        const log = response.status >= 500 ? logger.error.bind(logger) : logger.warn.bind(logger);
        log('query failed', {
          queryType,
          status: response.status,
          errorSource: response.errorSource,
          error: response.error,
          ...(allowance.suppressed > 0 ? { similarFailuresNotLogged: allowance.suppressed } : {}),
        });
      }
    }
    this.metrics?.observe('queryData', queryType, response.status, (performance.now() - started) / 1000);
    return response;
  }

  // Sets refIds, applies the row limit and attaches the handler's partial-failure notices.
  private finish(frames: Frame[], ctx: QueryContext): Frame[] {
    const maxRows = ctx.instance.settings.jsonData.maxRows ?? DEFAULT_MAX_ROWS;
    const out = frames.map((f) => truncateFrame({ ...f, refId: f.refId || ctx.refId }, maxRows));
    if (ctx.notices.length > 0) {
      if (out.length === 0) {
        out.push({ name: ctx.refId, refId: ctx.refId, fields: [] });
      }
      const mask = secretMaskFor(settingsSecrets(ctx.instance.settings));
      const notices = ctx.notices.map((n) => ({ ...n, text: mask.mask(n.text) }));
      out[0] = { ...out[0], meta: { ...out[0].meta, notices: [...(out[0].meta?.notices ?? []), ...notices] } };
    }
    return out;
  }
}

function duplicateRefIdResponse(refId: string, count: number): DataQueryResponse {
  return {
    frames: [],
    status: 400,
    error: `refId ${quoteInput(refId)} is used by ${count} queries in this request; give each query its own refId`,
    errorSource: 'plugin',
  };
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
