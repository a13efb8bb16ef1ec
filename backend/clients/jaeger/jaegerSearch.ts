// What Jaeger is asked for the join's client spans (one FindTraces per pod or namespace, attribute filters pushed
// down), and the check each returned span passes: Jaeger answers whole traces, the join wants matching CLIENT spans.
import { stringAttribute, type Attributes, type Span } from '../tempoSpan';
import { RESOURCE_KEYS, SPAN_KEYS } from '../tempoSearch';
import type { ClientSpanSearch } from '../traceStore';
import type { FindTracesParameters } from './jaegerQueryGrpc';

const POD = 'k8s.pod.name';
const NAMESPACE = 'k8s.namespace.name';
const MIN_DEPTH = 20;

// Attribute maps are conjunctions: several pods take one search each.
export function jaegerSearches(request: ClientSpanSearch): FindTracesParameters[] {
  const common: Record<string, string> = {};
  if (request.pod) {
    common[POD] = request.pod;
  }
  if (request.namespace) {
    common[NAMESPACE] = request.namespace;
  }
  const variants: Array<Record<string, string>> = request.pods?.length
    ? distinct(request.pods).map((pod) => ({ [POD]: pod }))
    : request.namespaces?.length
      ? distinct(request.namespaces).map((namespace) => ({ [NAMESPACE]: namespace }))
      : [{}];
  const base = {
    serviceName: request.service,
    startTimeMinMs: request.range.fromMs,
    startTimeMaxMs: request.range.toMs,
    // The limit bounds the whole answer, as Tempo's does; each search gets its share.
    searchDepth: Math.max(MIN_DEPTH, Math.ceil(request.limit / variants.length)),
  };
  return variants.map((extra) => {
    const attributes = { ...common, ...extra };
    return Object.keys(attributes).length > 0 ? { ...base, attributes } : base;
  });
}

export interface ClientSpanSelection {
  accepts(span: Span): boolean;
  // Only the attributes the join reads, as Tempo's search returns them.
  trim(span: Span): Span;
}

export function clientSpanSelection(request: ClientSpanSearch): ClientSpanSelection {
  const pods = request.pods?.length ? new Set(request.pods) : undefined;
  const namespaces = request.namespaces?.length ? new Set(request.namespaces) : undefined;
  const errorsOnly = request.errorsOnly ?? true;
  const trimmed = new Map<Attributes, Attributes>();
  const keep = (set: Attributes, keys: readonly string[]) => {
    let out = trimmed.get(set);
    if (!out) {
      out = {};
      for (const key of keys) {
        if (set[key] !== undefined) {
          out[key] = set[key];
        }
      }
      trimmed.set(set, out);
    }
    return out;
  };
  return {
    accepts: (span) => {
      const pod = stringAttribute(span.resource, POD);
      const namespace = stringAttribute(span.resource, NAMESPACE);
      return (
        span.kind === 'client' &&
        (!errorsOnly || span.status.code === 'error') &&
        (!request.pod || pod === request.pod) &&
        (!request.namespace || namespace === request.namespace) &&
        (!request.service || span.service === request.service) &&
        (!pods || (pod !== undefined && pods.has(pod))) &&
        (!namespaces || (namespace !== undefined && namespaces.has(namespace)))
      );
    },
    trim: (span) => ({
      ...span,
      resource: keep(span.resource, RESOURCE_KEYS),
      attributes: keep(span.attributes, SPAN_KEYS),
      events: [],
    }),
  };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort();
}
