// The JSON of one Wiretrace query, shared by the query editor and the backend datasource.

import type { EventKind } from './events';

// The values a query's kinds filter may hold.
export const EVENT_KINDS: readonly EventKind[] = ['flow', 'drop', 'reset', 'dns', 'http', 'tls', 'signal'];

export const QUERY_TYPES = ['drops', 'traceNetwork', 'topology', 'flows', 'tcpHealth', 'dns', 'logs', 'signals'] as const;

export type QueryType = (typeof QUERY_TYPES)[number];

export interface WiretraceQueryFilters {
  namespace?: string;
  pod?: string;
  service?: string;
  traceId?: string;
  // drops: only the drop with this id (model/dropId); its time narrows what is read.
  dropId?: string;
  policy?: string;
  // Free-text search over the rows (flows table, logs line filter).
  search?: string;
  limit?: number;
  // Slack added on both sides of a span when matching drops to it, in milliseconds.
  slackMs?: number;
}

export interface WiretraceQueryModel extends WiretraceQueryFilters {
  queryType: QueryType;
  // flows: which event kinds to list.
  kinds?: string[];
  // drops / tcpHealth: return numeric time series (for alerting) instead of tables.
  asTimeSeries?: boolean;
  // drops as time series: one series per drop reason (default) or per policy.
  groupBy?: DropGrouping;
}

export const DROP_GROUPINGS = ['reason', 'policy'] as const;

export type DropGrouping = (typeof DROP_GROUPINGS)[number];

export const DEFAULT_QUERY: WiretraceQueryModel = { queryType: 'drops', limit: 1000, slackMs: 500 };

export function isQueryType(value: unknown): value is QueryType {
  return typeof value === 'string' && (QUERY_TYPES as readonly string[]).includes(value);
}
