// DropSpans → an OTLP ExportTraceServiceRequest, protobuf-encoded with our subset of opentelemetry-proto.
import { otlpTraceProtoRoot } from '../proto';
import type { AttributeValue, DropSpan } from './dropSpan';

const SPAN_KIND_INTERNAL = 1;
const STATUS_CODE_ERROR = 2;

function anyValue(value: AttributeValue): Record<string, unknown> {
  if (Array.isArray(value)) {
    return { array_value: { values: value.map((v) => ({ string_value: v })) } };
  }
  if (typeof value === 'boolean') {
    return { bool_value: value };
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { int_value: value } : { double_value: value };
  }
  return { string_value: value };
}

function keyValues(attributes: Record<string, AttributeValue>): Array<Record<string, unknown>> {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

// Microseconds → nanoseconds as a decimal string: exact beyond 2^53.
function nanos(us: number): string {
  return `${Math.trunc(us)}000`;
}

export function encodeDropSpans(spans: readonly DropSpan[], resource: Record<string, AttributeValue>): Uint8Array {
  const type = otlpTraceProtoRoot().lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const request = type.fromObject({
    resource_spans: [
      {
        resource: { attributes: keyValues(resource) },
        scope_spans: [
          {
            scope: { name: 'wiretrace-agent' },
            spans: spans.map((s) => ({
              trace_id: Buffer.from(s.traceId, 'hex'),
              span_id: Buffer.from(s.spanId, 'hex'),
              ...(s.parentSpanId ? { parent_span_id: Buffer.from(s.parentSpanId, 'hex') } : {}),
              name: s.name,
              kind: SPAN_KIND_INTERNAL,
              start_time_unix_nano: nanos(s.startUs),
              end_time_unix_nano: nanos(s.endUs),
              attributes: keyValues(s.attributes),
              status: { code: STATUS_CODE_ERROR, message: s.statusMessage },
            })),
          },
        ],
      },
    ],
  });
  return type.encode(request).finish();
}
