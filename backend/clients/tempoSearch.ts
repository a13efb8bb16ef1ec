// TraceQL for the spans the join needs, and the parser of Tempo's /api/search answer into typed spans.
import { normalizeSpanId, normalizeTraceId } from '../../model/traceId';
import { AttributePairCodes } from './attributePairCodes';
import { SPAN_KINDS, SpanBatchBuilder, type SpanBatch } from './spanBatch';
import { nanosToMicros, otlpValue } from './tempoOtlpValues';
import { stringAttribute, type Attributes, type SpanKind, type SpanStatusCode } from './tempoSpan';

export interface ClientSpanFilter {
  namespace?: string;
  pod?: string;
  service?: string;
  // Any of these (pushed down as one regex); used for the source pods of the drops being explained.
  namespaces?: string[];
  pods?: string[];
  // Only spans with status = error (the ones a drop can explain); default true.
  errorsOnly?: boolean;
}

// Resource and span attributes the join reads; Tempo returns selected ones without their scope, Jaeger keeps these.
export const RESOURCE_KEYS = ['service.name', 'k8s.pod.name', 'k8s.namespace.name', 'k8s.pod.ip'] as const;
export const SPAN_KEYS = [
  'server.address',
  'server.port',
  'url.full',
  'http.url',
  'network.peer.address',
  'peer.service',
  'net.peer.name',
  'net.peer.port',
] as const;

export function clientSpanTraceQL(filter: ClientSpanFilter): string {
  const conditions = ['kind = client'];
  if (filter.errorsOnly ?? true) {
    conditions.push('status = error');
  }
  if (filter.namespace) {
    conditions.push(`resource.k8s.namespace.name = ${traceQLString(filter.namespace)}`);
  }
  if (filter.pod) {
    conditions.push(`resource.k8s.pod.name = ${traceQLString(filter.pod)}`);
  }
  if (filter.namespaces?.length) {
    conditions.push(`resource.k8s.namespace.name =~ ${traceQLString(anyOf(filter.namespaces))}`);
  }
  if (filter.pods?.length) {
    conditions.push(`resource.k8s.pod.name =~ ${traceQLString(anyOf(filter.pods))}`);
  }
  if (filter.service) {
    conditions.push(`resource.service.name = ${traceQLString(filter.service)}`);
  }
  const selected = [
    ...RESOURCE_KEYS.map((k) => `resource.${k}`),
    ...SPAN_KEYS.map((k) => `span.${k}`),
    'name',
    'status',
    'statusMessage',
    'kind',
  ];
  return `{ ${conditions.join(' && ')} } | select(${selected.join(', ')})`;
}

function anyOf(values: string[]): string {
  return [...new Set(values)]
    .sort()
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

export function traceQLString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface ParsedSearch {
  spans: SpanBatch;
  traces: number;
  skipped: number;
}

const RESOURCE_KEY_SET = new Set<string>(RESOURCE_KEYS);
const KINDS = new Set<SpanKind>(SPAN_KINDS);

// Spans come once per spanset they matched; a (trace, span) pair is kept once. Parsed straight into columns.
export function parseTempoSearch(body: unknown): ParsedSearch {
  const traces = (body as { traces?: unknown } | null)?.traces;
  const builder = new SpanBatchBuilder(Array.isArray(traces) ? traces.length * 4 : 0);
  const codes = new AttributePairCodes();
  let traceCount = 0;
  let skipped = 0;
  if (!Array.isArray(traces)) {
    return { spans: builder.build(), traces: 0, skipped: 0 };
  }
  // Span ids already kept, per trace: a span matching several spansets is listed in each.
  const seen = new Map<string, Set<string>>();
  for (const trace of traces as Array<Record<string, unknown>>) {
    const traceId = normalizeTraceId(typeof trace?.traceID === 'string' ? trace.traceID : undefined);
    if (!traceId) {
      skipped++;
      continue;
    }
    traceCount++;
    const rootService = typeof trace.rootServiceName === 'string' ? trace.rootServiceName : undefined;
    const spanSets = Array.isArray(trace.spanSets) ? trace.spanSets : trace.spanSet ? [trace.spanSet] : [];
    let kept = seen.get(traceId);
    if (!kept) {
      kept = new Set();
      seen.set(traceId, kept);
    }
    for (const set of spanSets as Array<Record<string, unknown>>) {
      if (!Array.isArray(set?.spans)) {
        continue;
      }
      for (const raw of set.spans as Array<Record<string, unknown>>) {
        const spanId = normalizeSpanId(typeof raw?.spanID === 'string' ? raw.spanID : undefined);
        if (spanId === undefined || kept.has(spanId)) {
          skipped += spanId === undefined ? 1 : 0;
          continue;
        }
        if (addSearchSpan(builder, traceId, spanId, raw, rootService, codes)) {
          kept.add(spanId);
        } else {
          skipped++;
        }
      }
    }
  }
  return { spans: builder.build(), traces: traceCount, skipped };
}

function addSearchSpan(
  builder: SpanBatchBuilder,
  traceId: string,
  spanId: string,
  raw: Record<string, unknown>,
  rootService: string | undefined,
  codes: AttributePairCodes
): boolean {
  const startUs = nanosToMicros(raw.startTimeUnixNano);
  if (startUs === undefined) {
    return false;
  }
  const durationUs = nanosToMicros(raw.durationNanos) ?? 0;
  const resource: Attributes = {};
  const attributes: Attributes = {};
  // Keys equal for equal sets (same pairs in the same order), built while reading, so each set is stored once.
  let resourceKey = '';
  let attributesKey = '';
  let kind: SpanKind = 'unspecified';
  let code: SpanStatusCode = 'unset';
  let message: string | undefined;
  const list = Array.isArray(raw.attributes) ? (raw.attributes as Array<{ key?: unknown; value?: unknown }>) : [];
  for (const kv of list) {
    const key = typeof kv?.key === 'string' ? kv.key : undefined;
    const value = key === undefined ? undefined : otlpValue(kv.value);
    // Tempo answers a selected attribute the span lacks with the string "nil".
    if (key === undefined || value === undefined || value === 'nil') {
      continue;
    }
    if (key === 'kind' && typeof value === 'string' && KINDS.has(value as SpanKind)) {
      kind = value as SpanKind;
    } else if (key === 'status' && typeof value === 'string') {
      code = value === 'error' ? 'error' : value === 'ok' ? 'ok' : 'unset';
    } else if (key === 'statusMessage' && typeof value === 'string') {
      message = value || undefined;
    } else if (RESOURCE_KEY_SET.has(key)) {
      resource[key] = value;
      resourceKey += codes.code(key, value);
    } else {
      attributes[key] = value;
      attributesKey += codes.code(key, value);
    }
  }
  builder.add({
    traceId,
    spanId,
    name: typeof raw.name === 'string' ? raw.name : '',
    kind,
    startUs,
    endUs: startUs + durationUs,
    statusCode: code,
    statusMessage: message,
    service: stringAttribute(resource, 'service.name') ?? rootService ?? 'unknown_service',
    resource: builder.internResource(resource, resourceKey),
    attributes: builder.internAttributes(attributes, attributesKey),
  });
  return true;
}
