// Parses Tempo's trace-by-id JSON (v2 {"trace": {"resourceSpans"}} or v1 {"batches"}) into typed spans.
import { normalizeSpanId, normalizeTraceId, spanIdFromBase64, traceIdFromBase64 } from '../../model/traceId';
import { nanosToMicros, otlpAttributes } from './tempoOtlpValues';
import { stringAttribute, type Span, type SpanEvent, type SpanKind, type SpanStatusCode } from './tempoSpan';

export interface ParsedTrace {
  spans: Span[];
  // Spans without ids or times; counted, never thrown.
  skipped: number;
  // Tempo's own note when it could not return the whole trace.
  partialMessage?: string;
}

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS: SpanStatusCode[] = ['unset', 'ok', 'error'];

export function parseTempoTrace(body: unknown): ParsedTrace {
  const result: ParsedTrace = { spans: [], skipped: 0 };
  if (!body || typeof body !== 'object') {
    return result;
  }
  const root = body as Record<string, unknown>;
  const trace = (root.trace && typeof root.trace === 'object' ? root.trace : root) as Record<string, unknown>;
  const batches = trace.resourceSpans ?? trace.batches;
  if (root.status === 'PARTIAL') {
    result.partialMessage =
      typeof root.message === 'string' && root.message ? root.message : 'Tempo returned a partial trace';
  }
  if (!Array.isArray(batches)) {
    return result;
  }
  for (const batch of batches as Array<Record<string, unknown>>) {
    const resource = otlpAttributes((batch?.resource as { attributes?: unknown } | undefined)?.attributes);
    const service = stringAttribute(resource, 'service.name') ?? 'unknown_service';
    const scopes = batch?.scopeSpans ?? batch?.instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) {
      continue;
    }
    for (const scopeSpans of scopes as Array<Record<string, unknown>>) {
      const scopeRaw = (scopeSpans?.scope ?? scopeSpans?.instrumentationLibrary) as Record<string, unknown> | undefined;
      const scope =
        typeof scopeRaw?.name === 'string' && scopeRaw.name
          ? { name: scopeRaw.name, version: typeof scopeRaw.version === 'string' ? scopeRaw.version : undefined }
          : undefined;
      const spans = scopeSpans?.spans;
      if (!Array.isArray(spans)) {
        continue;
      }
      for (const raw of spans as Array<Record<string, unknown>>) {
        const span = parseOtlpSpan(raw, resource, service, scope);
        if (span) {
          result.spans.push(span);
        } else {
          result.skipped++;
        }
      }
    }
  }
  return result;
}

function parseOtlpSpan(
  raw: Record<string, unknown>,
  resource: Span['resource'],
  service: string,
  scope: Span['scope']
): Span | undefined {
  if (!raw || typeof raw !== 'object') {
    return undefined;
  }
  const traceId = otlpTraceId(raw.traceId);
  const spanId = otlpSpanId(raw.spanId);
  const startUs = nanosToMicros(raw.startTimeUnixNano);
  const endUs = nanosToMicros(raw.endTimeUnixNano) ?? startUs;
  if (!traceId || !spanId || startUs === undefined || endUs === undefined) {
    return undefined;
  }
  const status = (raw.status ?? {}) as Record<string, unknown>;
  const events: SpanEvent[] = [];
  if (Array.isArray(raw.events)) {
    for (const e of raw.events as Array<Record<string, unknown>>) {
      const timeUs = nanosToMicros(e?.timeUnixNano);
      if (timeUs !== undefined) {
        events.push({
          timeUs,
          name: typeof e.name === 'string' ? e.name : '',
          attributes: otlpAttributes(e.attributes),
        });
      }
    }
  }
  return {
    traceId,
    spanId,
    parentSpanId: otlpSpanId(raw.parentSpanId),
    name: typeof raw.name === 'string' ? raw.name : '',
    kind: enumValue(raw.kind, 'SPAN_KIND_', KINDS) ?? 'unspecified',
    startUs,
    endUs: Math.max(startUs, endUs),
    status: {
      code: enumValue(status.code, 'STATUS_CODE_', STATUS) ?? 'unset',
      message: typeof status.message === 'string' && status.message ? status.message : undefined,
    },
    service,
    resource,
    attributes: otlpAttributes(raw.attributes),
    events,
    scope,
  };
}

// OTLP JSON proper uses hex ids; Tempo's jsonpb output uses base64 of the bytes.
function otlpTraceId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') {
    return undefined;
  }
  return /^[0-9a-fA-F]{32}$/.test(raw) ? normalizeTraceId(raw) : traceIdFromBase64(raw);
}

function otlpSpanId(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') {
    return undefined;
  }
  return /^[0-9a-fA-F]{16}$/.test(raw) ? normalizeSpanId(raw) : spanIdFromBase64(raw);
}

function enumValue<T extends string>(raw: unknown, prefix: string, names: readonly T[]): T | undefined {
  if (typeof raw === 'number') {
    return names[raw];
  }
  if (typeof raw === 'string') {
    const name = raw.startsWith(prefix) ? raw.slice(prefix.length).toLowerCase() : raw.toLowerCase();
    return names.find((n) => n === name);
  }
  return undefined;
}
