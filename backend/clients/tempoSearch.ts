// TraceQL for the spans the join needs, and the parser of Tempo's /api/search answer into typed spans.
import { normalizeSpanId, normalizeTraceId } from '../../model/traceId';
import { nanosToMicros, otlpValue } from './tempoOtlpValues';
import { stringAttribute, type Attributes, type Span, type SpanKind, type SpanStatusCode } from './tempoSpan';

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

// Resource attributes the join reads; Tempo returns selected attributes without their scope.
export const RESOURCE_KEYS = ['service.name', 'k8s.pod.name', 'k8s.namespace.name', 'k8s.pod.ip'] as const;
const SPAN_KEYS = [
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
  spans: Span[];
  traces: number;
  skipped: number;
}

const RESOURCE_KEY_SET = new Set<string>(RESOURCE_KEYS);
const KINDS = new Set<SpanKind>(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);

// Spans come once per spanset they matched; a (trace, span) pair is kept once.
export function parseTempoSearch(body: unknown): ParsedSearch {
  const result: ParsedSearch = { spans: [], traces: 0, skipped: 0 };
  const traces = (body as { traces?: unknown } | null)?.traces;
  if (!Array.isArray(traces)) {
    return result;
  }
  const seen = new Set<string>();
  // Spans of one pod share one resource object, as they do in a trace; the join keys pods by that object.
  const resources = new Map<string, Attributes>();
  for (const trace of traces as Array<Record<string, unknown>>) {
    const traceId = normalizeTraceId(typeof trace?.traceID === 'string' ? trace.traceID : undefined);
    if (!traceId) {
      result.skipped++;
      continue;
    }
    result.traces++;
    const rootService = typeof trace.rootServiceName === 'string' ? trace.rootServiceName : undefined;
    const spanSets = Array.isArray(trace.spanSets) ? trace.spanSets : trace.spanSet ? [trace.spanSet] : [];
    for (const set of spanSets as Array<Record<string, unknown>>) {
      if (!Array.isArray(set?.spans)) {
        continue;
      }
      for (const raw of set.spans as Array<Record<string, unknown>>) {
        const span = searchSpan(traceId, raw, rootService, resources);
        if (!span) {
          result.skipped++;
          continue;
        }
        const key = `${traceId}/${span.spanId}`;
        if (!seen.has(key)) {
          seen.add(key);
          result.spans.push(span);
        }
      }
    }
  }
  return result;
}

function searchSpan(
  traceId: string,
  raw: Record<string, unknown>,
  rootService: string | undefined,
  resources: Map<string, Attributes>
): Span | undefined {
  const spanId = normalizeSpanId(typeof raw?.spanID === 'string' ? raw.spanID : undefined);
  const startUs = nanosToMicros(raw?.startTimeUnixNano);
  if (!spanId || startUs === undefined) {
    return undefined;
  }
  const durationUs = nanosToMicros(raw.durationNanos) ?? 0;
  const resource: Attributes = {};
  const attributes: Attributes = {};
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
    } else {
      attributes[key] = value;
    }
  }
  const resourceKey = RESOURCE_KEYS.map((k) => String(resource[k] ?? '')).join('\u0000');
  const shared = resources.get(resourceKey) ?? resource;
  resources.set(resourceKey, shared);
  return {
    traceId,
    spanId,
    name: typeof raw.name === 'string' ? raw.name : '',
    kind,
    startUs,
    endUs: startUs + durationUs,
    status: { code, message },
    service: stringAttribute(shared, 'service.name') ?? rootService ?? 'unknown_service',
    resource: shared,
    attributes,
    events: [],
  };
}
