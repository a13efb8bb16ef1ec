import { isQueryType } from '../../../model/query';
import { WiretraceQuery } from '../types';
import { QUERY_FIELDS, QUERY_TYPE_LABELS, QueryField } from './queryFields';

const ALL_FIELDS: readonly QueryField[] = Array.from(new Set(Object.values(QUERY_FIELDS).flat()));

// The one-line summary Grafana shows for a collapsed query row and in query history.
export function describeQuery(query: WiretraceQuery): string {
  if (!isQueryType(query.queryType)) {
    return 'Wiretrace: no query type';
  }
  const parts: string[] = [QUERY_TYPE_LABELS[query.queryType].label];
  const filters: Array<[string, string | undefined]> = [
    ['trace', query.traceId],
    ['namespace', query.namespace],
    ['pod', query.pod],
    ['service', query.service],
    ['policy', query.policy],
    ['search', query.search],
  ];
  for (const [name, value] of filters) {
    if (value) {
      parts.push(`${name}=${value}`);
    }
  }
  if (query.kinds?.length) {
    parts.push(`kinds=${query.kinds.join(',')}`);
  }
  if (query.asTimeSeries) {
    parts.push(query.groupBy ? `time series by ${query.groupBy}` : 'time series');
  }
  return parts.join(' ');
}

// Removes filters a query type does not read, so switching types never sends stale filters.
export function withQueryType(query: WiretraceQuery, queryType: NonNullable<WiretraceQuery['queryType']>): WiretraceQuery {
  const next: WiretraceQuery = { ...query, queryType };
  const kept = QUERY_FIELDS[queryType];
  for (const field of ALL_FIELDS) {
    if (!kept.includes(field)) {
      delete next[field];
    }
  }
  return next;
}
