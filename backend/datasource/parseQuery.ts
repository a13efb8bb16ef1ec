// Validates the JSON of one query; every problem is a 400 that names the field.
import {
  DROP_GROUPINGS,
  EVENT_KINDS,
  QUERY_TYPES,
  isQueryType,
  type DropGrouping,
  type WiretraceQueryModel,
} from '../../model/query';
import { parseDropId } from '../../model/dropId';
import { normalizeTraceId } from '../../model/traceId';
import { quoteInput } from './quoteInput';
import { QueryError, type TimeRange } from './types';

// Bounds on what one query may ask for: beyond them the query is a mistake, answered with a 400 naming the field.
export const MAX_QUERY_JSON_BYTES = 8 * 1024 * 1024;
export const MAX_LIMIT = 1_000_000;
export const MAX_SLACK_MS = 60 * 60 * 1000;
const ALL_KINDS = ['', '*', '$__all', 'All'];
// Kubernetes names are at most 253 characters; a policy filter is "namespace/name".
const STRING_FILTERS = {
  namespace: 253,
  pod: 253,
  service: 253,
  traceId: 64,
  dropId: 128,
  policy: 512,
  search: 1024,
} as const;

export function parseQuery(json: Uint8Array | string, queryTypeField: string): WiretraceQueryModel {
  const size = typeof json === 'string' ? Buffer.byteLength(json) : json.byteLength;
  if (size > MAX_QUERY_JSON_BYTES) {
    throw new QueryError(400, `query JSON is ${size} bytes; at most ${MAX_QUERY_JSON_BYTES} are accepted`, 'plugin');
  }
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
      `unknown queryType ${quoteInput(queryType)}; valid query types: ${QUERY_TYPES.join(', ')}`,
      'plugin'
    );
  }
  const query: WiretraceQueryModel = { queryType };
  for (const [key, maxChars] of Object.entries(STRING_FILTERS) as Array<[keyof typeof STRING_FILTERS, number]>) {
    const v = raw[key];
    if (v === undefined || v === null || v === '') {
      continue;
    }
    if (typeof v !== 'string') {
      throw new QueryError(400, `query field ${key} must be a string`, 'plugin');
    }
    if (v.length > maxChars) {
      throw new QueryError(400, `query field ${key} is ${v.length} characters; at most ${maxChars}`, 'plugin');
    }
    query[key] = v;
  }
  if (query.traceId !== undefined && normalizeTraceId(query.traceId) === undefined) {
    throw new QueryError(
      400,
      `query field traceId must be 1 to 32 hex digits (not all zeros), got ${quoteInput(query.traceId)}`,
      'plugin'
    );
  }
  if (query.dropId !== undefined && parseDropId(query.dropId) === undefined) {
    throw new QueryError(
      400,
      `query field dropId must be <time µs>-<src ip>-<dst ip>-<dst port>, got ${quoteInput(query.dropId)}`,
      'plugin'
    );
  }
  query.limit = optionalNumber(raw.limit, 'limit', { integer: true, min: 1, max: MAX_LIMIT });
  query.slackMs = optionalNumber(raw.slackMs, 'slackMs', { integer: false, min: 0, max: MAX_SLACK_MS });
  if (raw.kinds !== undefined && raw.kinds !== null) {
    if (!Array.isArray(raw.kinds) || raw.kinds.some((k) => typeof k !== 'string')) {
      throw new QueryError(400, 'query field kinds must be a list of strings', 'plugin');
    }
    const kinds = raw.kinds as string[];
    // What the editor's "All" option and an empty multi-value variable expand to: no kind filter.
    const all = kinds.length === 0 || kinds.some((k) => ALL_KINDS.includes(k));
    const unknown = all ? undefined : kinds.find((k) => !(EVENT_KINDS as readonly string[]).includes(k));
    if (unknown !== undefined) {
      throw new QueryError(
        400,
        `query field kinds has unknown kind ${quoteInput(unknown)}; valid kinds: ${EVENT_KINDS.join(', ')}`,
        'plugin'
      );
    }
    query.kinds = all ? undefined : [...new Set(kinds)];
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
        `query field groupBy must be one of ${DROP_GROUPINGS.join(', ')}, got ${quoteInput(raw.groupBy)}`,
        'plugin'
      );
    }
    query.groupBy = raw.groupBy as DropGrouping;
  }
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as WiretraceQueryModel;
}

// The panel's time range: an inverted or non-finite range is the user's to fix, not an upstream's failure.
export function checkTimeRange(range: TimeRange): void {
  if (!Number.isFinite(range.fromMs) || !Number.isFinite(range.toMs)) {
    throw new QueryError(400, 'time range must have a finite from and to', 'plugin');
  }
  if (range.fromMs > range.toMs) {
    const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));
    throw new QueryError(
      400,
      `time range is inverted: from ${iso(range.fromMs)} is after to ${iso(range.toMs)}`,
      'plugin'
    );
  }
}

function optionalNumber(
  value: unknown,
  name: string,
  rule: { integer: boolean; min: number; max: number }
): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const n = typeof value === 'string' ? Number(value) : value;
  if (
    typeof n !== 'number' ||
    !Number.isFinite(n) ||
    n < rule.min ||
    n > rule.max ||
    (rule.integer && !Number.isInteger(n))
  ) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new QueryError(
      400,
      `query field ${name} must be ${kind} between ${rule.min} and ${rule.max}, got ${quoteInput(value)}`,
      'plugin'
    );
  }
  return n;
}
