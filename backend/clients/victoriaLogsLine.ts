// One VictoriaLogs entry (a JSON line of /select/logsql/query) as the LogLine the log joins and frames read.
import { normalizeTraceId } from '../../model/traceId';
import type { LogLine } from './lokiLogLine';

// The fields VictoriaLogs adds to every entry; everything else is the entry's own.
const SYSTEM_FIELDS = new Set(['_msg', '_time', '_stream', '_stream_id']);
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;
const STREAM_FIELD = /([^{},="\s]+)="((?:[^"\\]|\\.)*)"/g;

export type VictoriaLogsEntry = Record<string, unknown>;

// Nanoseconds since the epoch from VictoriaLogs' RFC 3339 time (up to nine fractional digits); undefined if unreadable.
export function rfc3339ToNs(time: string): bigint | undefined {
  const match = RFC3339.exec(time);
  if (!match) {
    return undefined;
  }
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) {
    return undefined;
  }
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

// `_stream` is `{name="value",…}`: the entry's stream fields, kept apart as Loki's stream labels are.
export function streamFields(stream: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of stream.matchAll(STREAM_FIELD)) {
    try {
      fields[match[1]] = JSON.parse(`"${match[2]}"`) as string;
    } catch {
      fields[match[1]] = match[2];
    }
  }
  return fields;
}

// Undefined for an entry without a readable time; the caller counts it as skipped.
export function victoriaLogsLine(entry: VictoriaLogsEntry): LogLine | undefined {
  const timeNs = typeof entry._time === 'string' ? rfc3339ToNs(entry._time) : undefined;
  if (timeNs === undefined) {
    return undefined;
  }
  const labels = typeof entry._stream === 'string' ? streamFields(entry._stream) : {};
  const structuredMetadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (!SYSTEM_FIELDS.has(key) && !(key in labels) && value !== undefined && value !== null) {
      structuredMetadata[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  const line = typeof entry._msg === 'string' ? entry._msg : '';
  return {
    timeNs: timeNs.toString(),
    timeUs: Number(timeNs / 1000n),
    line,
    labels,
    structuredMetadata,
    parsed: {},
    traceId: normalizeTraceId(structuredMetadata.trace_id ?? labels.trace_id) ?? traceIdInJsonLine(line),
  };
}

function traceIdInJsonLine(line: string): string | undefined {
  if (!line.startsWith('{')) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const id = parsed.trace_id ?? parsed.traceId ?? parsed.traceID;
    return typeof id === 'string' ? normalizeTraceId(id) : undefined;
  } catch {
    return undefined;
  }
}
