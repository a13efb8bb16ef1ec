// Trace context carried in HTTP headers (W3C traceparent, Zipkin B3 single and multi, Jaeger) → normalised ids.
import { normalizeSpanId, normalizeTraceId } from '../../../model/traceId';
import type { HttpHeaderList } from './httpHeaders';

export type TracePropagation = 'w3c' | 'b3' | 'b3multi' | 'jaeger';

export interface TraceContext {
  traceId: string;
  spanId?: string;
  sampled?: boolean;
  format: TracePropagation;
}

// version-traceid-parentid-flags; version ff is forbidden, all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function parseTraceparent(value: string): TraceContext | undefined {
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) {
    return undefined;
  }
  const traceId = normalizeTraceId(m[2]);
  const spanId = normalizeSpanId(m[3]);
  if (!traceId || !spanId) {
    return undefined;
  }
  return { traceId, spanId, sampled: (parseInt(m[4], 16) & 1) === 1, format: 'w3c' };
}

// b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]; a bare sampling flag carries no ids.
export function parseB3Single(value: string): TraceContext | undefined {
  const parts = value.trim().split('-');
  if (parts.length < 2) {
    return undefined;
  }
  const traceId = parts[0].length === 16 || parts[0].length === 32 ? normalizeTraceId(parts[0]) : undefined;
  const spanId = parts[1].length === 16 ? normalizeSpanId(parts[1]) : undefined;
  if (!traceId || !spanId) {
    return undefined;
  }
  const flag = parts[2];
  return { traceId, spanId, sampled: flag === undefined ? undefined : flag === '1' || flag === 'd', format: 'b3' };
}

// uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}, ids hex without padding.
export function parseUberTraceId(value: string): TraceContext | undefined {
  const parts = decodeURIComponentSafe(value.trim()).split(':');
  if (parts.length !== 4) {
    return undefined;
  }
  const traceId = normalizeTraceId(parts[0]);
  if (!traceId) {
    return undefined;
  }
  const flags = parseInt(parts[3], 16);
  return {
    traceId,
    spanId: normalizeSpanId(parts[1]),
    sampled: Number.isNaN(flags) ? undefined : (flags & 1) === 1,
    format: 'jaeger',
  };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// First format present wins, in the order OpenTelemetry's default propagators would read them.
export function extractTraceContext(headers: HttpHeaderList): TraceContext | undefined {
  const traceparent = headers.get('traceparent');
  const fromW3c = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  if (fromW3c) {
    return fromW3c;
  }
  const b3 = headers.get('b3');
  const fromB3 = b3 === undefined ? undefined : parseB3Single(b3);
  if (fromB3) {
    return fromB3;
  }
  const b3TraceId = headers.get('x-b3-traceid');
  if (b3TraceId !== undefined) {
    const traceId = normalizeTraceId(b3TraceId);
    if (traceId) {
      const sampled = headers.get('x-b3-sampled');
      return {
        traceId,
        spanId: normalizeSpanId(headers.get('x-b3-spanid')),
        sampled: sampled === undefined ? undefined : sampled === '1' || sampled === 'true',
        format: 'b3multi',
      };
    }
  }
  const uber = headers.get('uber-trace-id');
  return uber === undefined ? undefined : parseUberTraceId(uber);
}
