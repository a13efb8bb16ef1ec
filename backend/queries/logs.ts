// logs: application logs (Loki or VictoriaLogs) of one trace, or of a pod (namespace, service, search) over the panel range.
import { normalizeTraceId } from '../../model/traceId';
import { isLogStoreConfigured } from '../clients/logStore';
import { QueryError, type QueryHandler } from '../datasource/types';
import { loadPodLogs, loadTraceLogs } from './appLogs';
import { logsFrame } from './logsFrame';

export const DEFAULT_LOG_LIMIT = 1000;

export const logsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  if (!isLogStoreConfigured(ctx.instance.settings)) {
    const setting =
      ctx.instance.settings.jsonData.logStore === 'victorialogs' ? 'jsonData.victorialogs.url' : 'jsonData.loki.url';
    throw new QueryError(400, `logs needs a log store: set ${setting}`, 'plugin');
  }
  const limit = query.limit ?? DEFAULT_LOG_LIMIT;
  let result;
  if (query.traceId) {
    const traceId = normalizeTraceId(query.traceId);
    if (!traceId) {
      throw new QueryError(400, `traceId ${JSON.stringify(query.traceId)} is not 1 to 32 hex digits`, 'plugin');
    }
    result = await loadTraceLogs(ctx, traceId, ctx.timeRange, limit);
  } else if (query.pod || query.namespace || query.service) {
    result = await loadPodLogs(ctx, query, ctx.timeRange, limit);
  } else {
    throw new QueryError(400, 'logs needs a traceId, or a pod, namespace or service to scope the logs', 'plugin');
  }
  if (result.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${result.lines.length} log lines; raise the limit to see more.`,
    });
  }
  const frame = logsFrame(ctx, result.lines);
  frame.meta = { ...frame.meta, executedQueryString: result.logQL.join('\n') };
  return [frame];
};
