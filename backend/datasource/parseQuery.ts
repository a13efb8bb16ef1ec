// Validates the JSON of one query; every problem is a 400 that names the field.
import {
  DROP_GROUPINGS,
  QUERY_TYPES,
  isQueryType,
  type DropGrouping,
  type WiretraceQueryModel,
} from '../../model/query';
import { QueryError } from './types';

const STRING_FILTERS = ['namespace', 'pod', 'service', 'traceId', 'policy', 'search'] as const;

export function parseQuery(json: Uint8Array | string, queryTypeField: string): WiretraceQueryModel {
  const text = typeof json === 'string' ? json : Buffer.from(json).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new QueryError(400, `query JSON is malformed: ${(err as Error).message}`, 'plugin');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QueryError(400, 'query JSON must be an object', 'plugin');
  }
  const raw = value as Record<string, unknown>;
  // Grafana sends queryType both as a request field and inside the JSON; the field wins when set.
  const queryType = queryTypeField || raw.queryType;
  if (queryType === undefined || queryType === '') {
    throw new QueryError(400, `queryType is missing; valid query types: ${QUERY_TYPES.join(', ')}`, 'plugin');
  }
  if (!isQueryType(queryType)) {
    throw new QueryError(
      400,
      `unknown queryType ${JSON.stringify(queryType)}; valid query types: ${QUERY_TYPES.join(', ')}`,
      'plugin'
    );
  }
  const query: WiretraceQueryModel = { queryType };
  for (const key of STRING_FILTERS) {
    const v = raw[key];
    if (v === undefined || v === null || v === '') {
      continue;
    }
    if (typeof v !== 'string') {
      throw new QueryError(400, `query field ${key} must be a string`, 'plugin');
    }
    query[key] = v;
  }
  query.limit = optionalNumber(raw.limit, 'limit', { integer: true, min: 1 });
  query.slackMs = optionalNumber(raw.slackMs, 'slackMs', { integer: false, min: 0 });
  if (raw.kinds !== undefined && raw.kinds !== null) {
    if (!Array.isArray(raw.kinds) || raw.kinds.some((k) => typeof k !== 'string')) {
      throw new QueryError(400, 'query field kinds must be a list of strings', 'plugin');
    }
    query.kinds = raw.kinds as string[];
  }
  if (raw.asTimeSeries !== undefined && raw.asTimeSeries !== null) {
    if (typeof raw.asTimeSeries !== 'boolean') {
      throw new QueryError(400, 'query field asTimeSeries must be true or false', 'plugin');
    }
    query.asTimeSeries = raw.asTimeSeries;
  }
  if (raw.groupBy !== undefined && raw.groupBy !== null && raw.groupBy !== '') {
    if (!(DROP_GROUPINGS as readonly unknown[]).includes(raw.groupBy)) {
      throw new QueryError(
        400,
        `query field groupBy must be one of ${DROP_GROUPINGS.join(', ')}, got ${JSON.stringify(raw.groupBy)}`,
        'plugin'
      );
    }
    query.groupBy = raw.groupBy as DropGrouping;
  }
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as WiretraceQueryModel;
}

function optionalNumber(value: unknown, name: string, rule: { integer: boolean; min: number }): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < rule.min || (rule.integer && !Number.isInteger(n))) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new QueryError(
      400,
      `query field ${name} must be ${kind} >= ${rule.min}, got ${JSON.stringify(value)}`,
      'plugin'
    );
  }
  return n;
}
