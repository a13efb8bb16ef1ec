// Application logs from the log store (Loki or VictoriaLogs): those of one trace (a field or the line), those of a
// pod in a range, or those of several pods.
import { APP_STREAMS_SELECTOR } from '../../model/eventStreams';
import { logStoreOf } from '../clients/logStore';
import { compareLines, LokiClient } from '../clients/loki';
import { escapeRegex, logQLString, traceLogQueries } from '../clients/lokiLogQL';
import type { LogLine } from '../clients/lokiLogLine';
import { VictoriaLogsClient } from '../clients/victoriaLogs';
import { podFilterLogsQL, podsLogsQL, traceLogsQL } from '../clients/victoriaLogsQL';
import type { QueryContext, TimeRange } from '../datasource/types';


export interface AppLogs {
  lines: LogLine[];
  truncated: boolean;
  // The queries sent, LogQL or LogsQL (shown as the frame's executed query).
  logQL: string[];
}

// One LogsQL query; VictoriaLogs answers the oldest entries first up to the limit.
async function fromVictoriaLogs(ctx: QueryContext, logsQL: string, range: TimeRange, limit: number): Promise<AppLogs> {
  const store = new VictoriaLogsClient(ctx.instance.upstream('victorialogs'));
  const result = await store.query({ logsQL, range, limit, signal: ctx.signal });
  return { lines: result.lines, truncated: result.truncated, logQL: [logsQL] };
}

export async function loadTraceLogs(
  ctx: QueryContext,
  traceId: string,
  range: TimeRange,
  limit: number
): Promise<AppLogs> {
  if (logStoreOf(ctx.instance.settings) === 'victorialogs') {
    const logs = await fromVictoriaLogs(ctx, traceLogsQL(traceId), range, limit);
    return { ...logs, lines: logs.lines.filter((l) => carriesTrace(l, traceId)) };
  }
  const loki = new LokiClient(ctx.instance.upstream('loki'));
  const queries = traceLogQueries(APP_STREAMS_SELECTOR, traceId);
  const results = await Promise.all(
    queries.map((logQL) => loki.queryRange({ logQL, range, limit, signal: ctx.signal }))
  );
  const seen = new Set<string>();
  const lines: LogLine[] = [];
  for (const line of results.flatMap((r) => r.lines)) {
    if (!carriesTrace(line, traceId)) {
      continue;
    }
    const key = `${line.timeNs}\u0000${line.line}`;
    if (!seen.has(key)) {
      seen.add(key);
      lines.push(line);
    }
  }
  lines.sort(compareLines);
  return {
    lines: lines.slice(0, limit),
    truncated: results.some((r) => r.truncated) || lines.length > limit,
    logQL: queries,
  };
}

export interface PodLogFilter {
  namespace?: string;
  pod?: string;
  service?: string;
  search?: string;
}

// Label filters cover both conventions (promtail's namespace/pod, OpenTelemetry's k8s_*_name).
export function podLogsLogQL(filter: PodLogFilter): string {
  let logQL = filter.service ? `{service_name=${logQLString(filter.service)}}` : APP_STREAMS_SELECTOR;
  if (filter.namespace) {
    const ns = logQLString(filter.namespace);
    logQL += ` | namespace=${ns} or k8s_namespace_name=${ns}`;
  }
  if (filter.pod) {
    const pod = logQLString(filter.pod);
    logQL += ` | pod=${pod} or k8s_pod_name=${pod}`;
  }
  if (filter.search) {
    logQL += ` |~ ${logQLString(`(?i)${escapeRegex(filter.search)}`)}`;
  }
  return logQL;
}

export async function loadPodLogs(
  ctx: QueryContext,
  filter: PodLogFilter,
  range: TimeRange,
  limit: number
): Promise<AppLogs> {
  if (logStoreOf(ctx.instance.settings) === 'victorialogs') {
    return fromVictoriaLogs(ctx, podFilterLogsQL(filter), range, limit);
  }
  const loki = new LokiClient(ctx.instance.upstream('loki'));
  const logQL = podLogsLogQL(filter);
  const result = await loki.queryRange({ logQL, range, limit, signal: ctx.signal });
  return { lines: result.lines, truncated: result.truncated, logQL: [logQL] };
}

// A store's matches are kept only if they really carry this trace (its id field, or the id in the text).
function carriesTrace(line: LogLine, traceId: string): boolean {
  return line.traceId === traceId || line.line.toLowerCase().includes(traceId);
}

// Pod-scoped LogQL for both label conventions (promtail's pod, OpenTelemetry's k8s_pod_name).
export function podsLogQL(pods: string[]): string {
  const regex = logQLString(pods.map(escapeRegex).join('|'));
  return `${APP_STREAMS_SELECTOR} | pod=~${regex} or k8s_pod_name=~${regex}`;
}

// The logs of several pods over a range (e.g. around a set of drops).
export async function loadPodsLogs(
  ctx: QueryContext,
  pods: string[],
  range: TimeRange,
  limit: number
): Promise<AppLogs> {
  if (logStoreOf(ctx.instance.settings) === 'victorialogs') {
    return fromVictoriaLogs(ctx, podsLogsQL(pods), range, limit);
  }
  const loki = new LokiClient(ctx.instance.upstream('loki'));
  const logQL = podsLogQL(pods);
  const result = await loki.queryRange({ logQL, range, limit, signal: ctx.signal });
  return { lines: result.lines, truncated: result.truncated, logQL: [logQL] };
}
