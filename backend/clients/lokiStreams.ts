// Parses Loki's query_range "streams" answer (plain or categorize-labels encoded) into typed log lines.
import { normalizeTraceId } from '../../model/traceId';
import type { LogLine } from './lokiLogLine';

export interface ParsedStreams {
  lines: LogLine[];
  // Entries without a valid timestamp or line; counted, never thrown.
  skipped: number;
}

// trace_id_extracted: what `| json` names a line's trace_id when structured metadata already has one.
const TRACE_KEYS = ['trace_id', 'traceId', 'traceID', 'trace.id', 'otelTraceID', 'trace_id_extracted'];
const TRACE_IN_TEXT = /trace[_.-]?id["'\s]*[=:]\s*["']?([0-9a-fA-F]{16,32})\b/i;
// Every key and the text pattern spell "trace"; a line without it (and without JSON escapes that could hide it)
// carries no trace id, so it is neither parsed as JSON nor searched (durable event lines are parsed once, later).
const TRACE_WORD = /trace/i;

export function parseLokiStreams(body: unknown): ParsedStreams {
  const result: ParsedStreams = { lines: [], skipped: 0 };
  const data = (body as { data?: { resultType?: unknown; result?: unknown } } | null)?.data;
  if (!data || data.resultType !== 'streams' || !Array.isArray(data.result)) {
    return result;
  }
  for (const stream of data.result as Array<{ stream?: unknown; values?: unknown }>) {
    const labels = stringRecord(stream?.stream);
    if (!Array.isArray(stream?.values)) {
      continue;
    }
    for (const value of stream.values as unknown[]) {
      const line = parseEntry(value, labels);
      if (line) {
        result.lines.push(line);
      } else {
        result.skipped++;
      }
    }
  }
  return result;
}

function parseEntry(value: unknown, labels: Record<string, string>): LogLine | undefined {
  if (
    !Array.isArray(value) ||
    typeof value[0] !== 'string' ||
    typeof value[1] !== 'string' ||
    !/^\d+$/.test(value[0])
  ) {
    return undefined;
  }
  const timeNs = value[0];
  const meta = (value[2] ?? {}) as { structuredMetadata?: unknown; parsed?: unknown };
  const line: LogLine = {
    timeNs,
    timeUs: timeNs.length <= 3 ? 0 : Number(timeNs.slice(0, -3)),
    line: value[1],
    labels,
    structuredMetadata: stringRecord(meta.structuredMetadata),
    parsed: stringRecord(meta.parsed),
  };
  line.traceId = traceIdOf(line);
  return line;
}

export function traceIdOf(
  line: Pick<LogLine, 'line' | 'labels' | 'structuredMetadata' | 'parsed'>
): string | undefined {
  for (const source of [line.structuredMetadata, line.parsed, line.labels]) {
    for (const key of TRACE_KEYS) {
      const id = normalizeTraceId(source[key]);
      if (id) {
        return id;
      }
    }
  }
  const text = line.line;
  if (!TRACE_WORD.test(text) && !text.includes('\\u')) {
    return undefined;
  }
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      for (const key of TRACE_KEYS) {
        const id = typeof json[key] === 'string' ? normalizeTraceId(json[key]) : undefined;
        if (id) {
          return id;
        }
      }
    } catch {
      // Not JSON after all; the text pattern below still applies.
    }
  }
  const match = TRACE_IN_TEXT.exec(text);
  return match ? normalizeTraceId(match[1]) : undefined;
}

function stringRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value === 'string') {
        out[key] = value;
      }
    }
  }
  return out;
}
