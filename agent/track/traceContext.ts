// Trace context carried in HTTP headers: W3C traceparent, Zipkin b3 (single and multi-header), Jaeger uber-trace-id.
import { normalizeSpanId, normalizeTraceId } from '../../model/traceId';

export interface TraceContext {
  traceId: string;
  spanId?: string;
}

// headers: lowercase names.
export function extractTraceContext(headers: Record<string, string>): TraceContext | undefined {
  return (
    fromTraceparent(headers.traceparent) ??
    fromB3Single(headers.b3) ??
    fromB3Multi(headers) ??
    fromUber(headers['uber-trace-id'])
  );
}

// version-traceid-parentid-flags; version ff is invalid.
function fromTraceparent(value: string | undefined): TraceContext | undefined {
  const m = value && /^\s*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}/i.exec(value);
  if (!m || m[1].toLowerCase() === 'ff') {
    return undefined;
  }
  return build(m[2], m[3]);
}

// b3: traceid-spanid[-sampled[-parentspanid]], or just a sampling decision.
function fromB3Single(value: string | undefined): TraceContext | undefined {
  const parts = value?.trim().split('-');
  if (!parts || parts.length < 2) {
    return undefined;
  }
  return build(parts[0], parts[1]);
}

function fromB3Multi(headers: Record<string, string>): TraceContext | undefined {
  const traceId = headers['x-b3-traceid'];
  return traceId ? build(traceId, headers['x-b3-spanid']) : undefined;
}

// traceid:spanid:parentid:flags, trace id possibly shorter than 32 hex; ':' may arrive URL-encoded.
function fromUber(value: string | undefined): TraceContext | undefined {
  const parts = value?.trim().replace(/%3A/gi, ':').split(':');
  if (!parts || parts.length !== 4) {
    return undefined;
  }
  return build(parts[0], parts[1]);
}

function build(rawTrace: string, rawSpan: string | undefined): TraceContext | undefined {
  const traceId = normalizeTraceId(rawTrace);
  if (!traceId) {
    return undefined;
  }
  const spanId = normalizeSpanId(rawSpan);
  return spanId ? { traceId, spanId } : { traceId };
}
