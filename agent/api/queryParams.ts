// Reads the API's query parameters; a bad one becomes a 400 that names it.
import { AGENT_EVENTS_PARAMS } from '../../model/agentApi';
import type { EventKind } from '../../model/events';
import { EVENT_KINDS } from '../../model/query';
import { normalizeTraceId } from '../../model/traceId';
import type { EventQuery } from '../store/eventStore';

export class BadParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string
  ) {
    super(`invalid parameter "${parameter}": ${message}`);
  }
}

const DEFAULT_WINDOW_US = 3600 * 1e6;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
// Every accepted value is short (names are at most 253 characters); anything longer is refused before it is read.
const MAX_PARAMS = 16;
const MAX_VALUE_CHARS = 512;
const MAX_NAME_CHARS = 64;

function checkSizes(params: URLSearchParams): void {
  let count = 0;
  for (const [name, value] of params) {
    if (++count > MAX_PARAMS) {
      throw new BadParameterError('query', `more than ${MAX_PARAMS} parameters`);
    }
    if (name.length > MAX_NAME_CHARS) {
      throw new BadParameterError(`${name.slice(0, MAX_NAME_CHARS)}…`, `name longer than ${MAX_NAME_CHARS} characters`);
    }
    if (value.length > MAX_VALUE_CHARS) {
      throw new BadParameterError(name, `longer than ${MAX_VALUE_CHARS} characters (${value.length})`);
    }
  }
}

// RFC 3339 or Unix nanoseconds → microseconds since the epoch.
export function parseTimeParam(name: string, value: string): number {
  if (/^\d{1,20}$/.test(value)) {
    return Number(BigInt(value) / 1000n);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw new BadParameterError(name, 'expected RFC 3339 (2024-05-01T12:00:00Z) or Unix nanoseconds');
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new BadParameterError(name, 'not a valid date');
  }
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
  const subMsUs = Number((fraction + '000000').slice(3, 6));
  return ms * 1000 + subMsUs;
}

export function parseTimeRange(params: URLSearchParams, nowUs: number): { fromUs: number; toUs: number } {
  checkSizes(params);
  const to = params.get('to');
  const from = params.get('from');
  const toUs = to ? parseTimeParam('to', to) : nowUs;
  const fromUs = from ? parseTimeParam('from', from) : toUs - DEFAULT_WINDOW_US;
  if (fromUs > toUs) {
    throw new BadParameterError('from', 'must not be after "to"');
  }
  return { fromUs, toUs };
}

export function parseEventQuery(params: URLSearchParams, nowUs: number): EventQuery {
  checkSizes(params);
  for (const key of params.keys()) {
    if (!(AGENT_EVENTS_PARAMS as readonly string[]).includes(key)) {
      throw new BadParameterError(key, 'unknown parameter');
    }
  }
  const query: EventQuery = { ...parseTimeRange(params, nowUs), limit: DEFAULT_LIMIT };
  const kind = params.get('kind');
  if (kind) {
    const kinds = kind.split(',').map((k) => k.trim());
    const unknown = kinds.find((k) => !EVENT_KINDS.includes(k as EventKind));
    if (unknown !== undefined) {
      throw new BadParameterError('kind', `unknown kind "${unknown}" (one of ${EVENT_KINDS.join(', ')})`);
    }
    query.kinds = new Set(kinds as EventKind[]);
  }
  const namespace = params.get('namespace');
  if (namespace) {
    query.namespace = namespace;
  }
  const pod = params.get('pod');
  if (pod) {
    query.pod = pod;
  }
  const traceId = params.get('traceId');
  if (traceId) {
    const normalized = normalizeTraceId(traceId);
    if (!normalized) {
      throw new BadParameterError('traceId', 'expected up to 32 hex digits');
    }
    query.traceId = normalized;
  }
  const limit = params.get('limit');
  if (limit !== null) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > MAX_LIMIT) {
      throw new BadParameterError('limit', `expected an integer from 1 to ${MAX_LIMIT}`);
    }
    query.limit = n;
  }
  return query;
}
