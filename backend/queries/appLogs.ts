// Application logs from Loki: those of one trace (structured metadata or line), or those of a pod in a range.
import { compareLines, LokiClient } from '../clients/loki';
import { escapeRegex, logQLString, traceLogQueries } from '../clients/lokiLogQL';
import type { LogLine } from '../clients/lokiLogLine';
import { observabilityClient } from '../clients/upstreams';
import type { QueryContext, TimeRange } from '../datasource/types';

// Every application stream, but not the agents' own durable events.
export const ALL_APP_STREAMS = '{service_name=~".+", service_name!="wiretrace-agent"}';

export interface AppLogs {
  lines: LogLine[];
  truncated: boolean;
  logQL: string[];
}

export async function loadTraceLogs(
  ctx: QueryContext,
  traceId: string,
  range: TimeRange,
  limit: number
): Promise<AppLogs> {
  const loki = new LokiClient(observabilityClient(ctx.settings, 'loki'));
  const queries = traceLogQueries(ALL_APP_STREAMS, traceId);
  const results = await Promise.all(
    queries.map((logQL) => loki.queryRange({ logQL, range, limit, signal: ctx.signal }))
  );
  const seen = new Set<string>();
  const lines: LogLine[] = [];
  for (const line of results.flatMap((r) => r.lines)) {
    // Loki's matches are kept only if they really carry this trace (parsed id, or the id in the text).
    if (line.traceId !== traceId && !line.line.toLowerCase().includes(traceId)) {
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
  let logQL = filter.service ? `{service_name=${logQLString(filter.service)}}` : ALL_APP_STREAMS;
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
  const loki = new LokiClient(observabilityClient(ctx.settings, 'loki'));
  const logQL = podLogsLogQL(filter);
  const result = await loki.queryRange({ logQL, range, limit, signal: ctx.signal });
  return { lines: result.lines, truncated: result.truncated, logQL: [logQL] };
}
