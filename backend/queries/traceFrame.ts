// A trace as the frame Grafana's trace view renders (the fields of its Tempo datasource), with the network
// events of each span's connection added to that span's logs and a warning on spans a drop explains.
import { FRAME } from '../../model/frameNames';
import type { NetworkEvent } from '../../model/events';
import type { AttributeValue, Span } from '../clients/tempoSpan';
import type { QueryContext } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { policyExplanationText } from './dropFacts';
import { phaseFields, phaseSpans } from './exchangePhases';
import { APP_PATH } from './links';
import { column } from './tableColumn';

interface KeyValue {
  key: string;
  value: AttributeValue;
}

interface TraceLog {
  timestamp: number;
  name?: string;
  fields: KeyValue[];
}

const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;

export interface SpanNetwork {
  // Event indices per span index.
  eventsBySpan: Map<number, number[]>;
  // The best drop explanation per span index.
  explanations: Map<number, string>;
  // The id of the best-matching drop per span index.
  drops?: Map<number, string>;
}

export function traceFrame(
  ctx: QueryContext,
  traceSpans: readonly Span[],
  events: readonly NetworkEvent[],
  network: SpanNetwork
): Frame {
  const eventsOf = (i: number) => (network.eventsBySpan.get(i) ?? []).map((e) => events[e]);
  // The exchanges' phases as child spans, after the trace's own spans (they have no network entries of their own).
  const spans = [...traceSpans, ...traceSpans.flatMap((s, i) => phaseSpans(s, eventsOf(i)))];
  return {
    name: FRAME.trace,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'trace', custom: { traceFormat: 'otlp' } },
    fields: [
      column(spans, 'traceID', 'string', (s) => s.traceId),
      column(spans, 'spanID', 'string', (s) => s.spanId),
      column(spans, 'parentSpanID', 'string', (s) => s.parentSpanId ?? ''),
      column(spans, 'operationName', 'string', (s) => s.name),
      column(spans, 'serviceName', 'string', (s) => s.service),
      column(spans, 'serviceTags', 'json', (s) => keyValues(s.resource)),
      column(spans, 'startTime', 'number', (s) => s.startUs / 1000),
      column(spans, 'duration', 'number', (s) => (s.endUs - s.startUs) / 1000),
      column(spans, 'logs', 'json', (s, i) => spanLogs(s, eventsOf(i))),
      column(spans, 'references', 'json', () => []),
      column(spans, 'tags', 'json', (s) => keyValues(s.attributes)),
      column(spans, 'kind', 'string', (s) => s.kind),
      column(spans, 'statusCode', 'int64', (s) => STATUS_CODES[s.status.code]),
      column(spans, 'statusMessage', 'string', (s) => s.status.message ?? ''),
      column(spans, 'instrumentationLibraryName', 'string', (s) => s.scope?.name ?? ''),
      column(spans, 'instrumentationLibraryVersion', 'string', (s) => s.scope?.version ?? ''),
      column(spans, 'warnings', 'json', (_, i) => {
        const why = network.explanations.get(i);
        return why ? [`Network: ${why}`] : null;
      }),
      // The trace view shows the link of each span: the case of the drop that explains it, or the trace's page.
      column(
        spans,
        'network_case',
        'string',
        (s, i) => {
          const drop = network.drops?.get(i);
          return drop ? `${APP_PATH}/investigate?drop=${drop}` : `${APP_PATH}/investigate?traceId=${s.traceId}`;
        },
        { links: [{ title: 'Network case of this span (Wiretrace)', url: '${__value.raw}&${__url_time_range}' }] }
      ),
    ],
  };
}

function keyValues(attributes: Record<string, AttributeValue>): KeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value }));
}

function spanLogs(span: Span, events: readonly NetworkEvent[]): TraceLog[] {
  const logs: TraceLog[] = span.events.map((e) => ({
    timestamp: e.timeUs / 1000,
    name: e.name,
    fields: keyValues(e.attributes),
  }));
  for (const e of events) {
    logs.push({ timestamp: e.time / 1000, name: networkLogName(e), fields: networkLogFields(e) });
  }
  return logs.sort((a, b) => a.timestamp - b.timestamp);
}

function networkLogName(e: NetworkEvent): string {
  switch (e.kind) {
    case 'drop':
      return `network drop: ${e.drop?.reason ?? 'dropped'}`;
    case 'reset':
      return `connection reset${e.flow?.tcp?.resetBy ? ` by ${e.flow.tcp.resetBy}` : ''}`;
    case 'dns':
      return `DNS ${e.dns?.qtype ?? ''} ${e.dns?.query ?? ''} → ${e.dns?.rcode ?? (e.dns?.answered ? 'answered' : 'no answer')}`;
    case 'http':
      return e.http?.grpc
        ? `gRPC ${e.http.grpc.service}/${e.http.grpc.method} → ${e.http.grpc.statusName ?? e.http.grpc.status ?? e.http.streamError ?? 'no status'}`
        : `network ${e.kind}`;
    case 'flow': {
      const retransmits = e.flow?.tcp?.retransmits ?? 0;
      return retransmits > 0 ? `TCP retransmissions: ${retransmits}` : `TCP connection ${e.flow?.state ?? ''}`;
    }
    default:
      return `network ${e.kind}`;
  }
}

function networkLogFields(e: NetworkEvent): KeyValue[] {
  const fields: KeyValue[] = [
    { key: 'network.event', value: e.kind },
    { key: 'source', value: `${e.src.namespace ? `${e.src.namespace}/` : ''}${e.src.pod ?? e.src.ip}` },
    { key: 'destination', value: `${e.dst.service ?? e.dst.pod ?? e.dst.ip}:${e.dst.port ?? ''}` },
    { key: 'destination.ip', value: e.dst.ip },
  ];
  const add = (key: string, value: AttributeValue | undefined) => value !== undefined && fields.push({ key, value });
  add('drop.reason', e.drop?.reason);
  add('drop.attempts', e.drop?.attempts);
  if (e.drop) {
    add('policy', policyExplanationText(e));
  }
  const tcp = e.flow?.tcp;
  add('tcp.retransmits', tcp?.retransmits);
  add('tcp.handshake_rtt_ms', tcp?.handshakeRttUs === undefined ? undefined : tcp.handshakeRttUs / 1000);
  add('tcp.rtt_avg_ms', tcp?.rttAvgUs === undefined ? undefined : tcp.rttAvgUs / 1000);
  add('tcp.reset_by', tcp?.resetBy);
  add('flow.state', e.flow?.state);
  add('dns.rcode', e.dns?.rcode);
  add('dns.latency_ms', e.dns?.latencyUs === undefined ? undefined : e.dns.latencyUs / 1000);
  add('http.status', e.http?.status);
  add('rpc.service', e.http?.grpc?.service);
  add('rpc.method', e.http?.grpc?.method);
  add('rpc.grpc.status_code', e.http?.grpc?.status);
  add('http2.stream_error', e.http?.streamError);
  add('capture.node', e.node);
  fields.push(...phaseFields(e));
  return fields;
}
