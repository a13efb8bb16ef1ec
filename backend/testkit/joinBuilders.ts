// Small builders for spans and network events, shared by the join tests and benchmarks.
import type { Endpoint, NetworkEvent } from '../../model/events';
import type { Attributes, Span, SpanKind, SpanStatus } from '../clients/tempoSpan';

export interface SpanSpec {
  traceId?: string;
  spanId?: string;
  pod?: string;
  namespace?: string;
  podIp?: string;
  service?: string;
  kind?: SpanKind;
  startUs: number;
  endUs: number;
  status?: SpanStatus;
  attributes?: Attributes;
  name?: string;
}

export function buildSpan(spec: SpanSpec): Span {
  const resource: Attributes = { 'service.name': spec.service ?? 'frontend' };
  if (spec.pod) {
    resource['k8s.pod.name'] = spec.pod;
  }
  if (spec.namespace) {
    resource['k8s.namespace.name'] = spec.namespace;
  }
  if (spec.podIp) {
    resource['k8s.pod.ip'] = spec.podIp;
  }
  return {
    traceId: spec.traceId ?? '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: spec.spanId ?? '00f067aa0ba902b7',
    name: spec.name ?? 'POST',
    kind: spec.kind ?? 'client',
    startUs: spec.startUs,
    endUs: spec.endUs,
    status: spec.status ?? { code: 'unset' },
    service: spec.service ?? 'frontend',
    resource,
    attributes: spec.attributes ?? {},
    events: [],
  };
}

export function buildDrop(time: number, src: Endpoint, dst: Endpoint, extra: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    kind: 'drop',
    time,
    transport: 'tcp',
    src,
    dst,
    source: 'pcap',
    drop: { reason: 'policy_denied', verdict: 'dropped' },
    ...extra,
  };
}
