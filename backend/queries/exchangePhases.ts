// Where an HTTP or gRPC exchange's time went (DNS lookup, connect, TLS, request, time to first byte, transfer), as
// child spans of the span the exchange belongs to, so the trace view's waterfall shows it under that span, and as
// fields of the exchange's span event.
import { createHash } from 'node:crypto';
import type { ExchangePhase, NetworkEvent } from '../../model/events';
import { normalizeSpanId } from '../../model/traceId';
import type { Span } from '../clients/tempoSpan';

const PHASE_TITLES: Record<ExchangePhase['phase'], string> = {
  dns: 'DNS lookup',
  connect: 'TCP connect',
  tls: 'TLS handshake',
  request: 'request sent',
  ttfb: 'time to first byte',
  transfer: 'response transfer',
};

/** One child span per measured phase of each exchange seen on the parent span's connections. */
export function phaseSpans(parent: Span, events: readonly NetworkEvent[]): Span[] {
  const children: Span[] = [];
  for (const e of events) {
    const timing = e.http?.timing;
    // An exchange that carries another span's id (its traceparent) is that span's, whatever overlaps it.
    if (e.kind !== 'http' || !timing || (e.spanId && normalizeSpanId(e.spanId) !== parent.spanId)) {
      continue;
    }
    for (const phase of timing.phases) {
      // A reused connection's connect phase has no length: it says "reused", it is not a stretch of time.
      if (phase.endUs <= phase.startUs && !(phase.phase === 'connect' && timing.reused)) {
        continue;
      }
      children.push({
        traceId: parent.traceId,
        spanId: derivedSpanId(parent.spanId, e.time, phase.phase),
        parentSpanId: parent.spanId,
        name: `network: ${PHASE_TITLES[phase.phase]}${phase.phase === 'connect' && timing.reused ? ' (connection reused)' : ''}`,
        kind: 'internal',
        startUs: phase.startUs,
        endUs: Math.max(phase.endUs, phase.startUs),
        status: { code: 'unset' },
        service: parent.service,
        resource: parent.resource,
        attributes: {
          'network.phase': phase.phase,
          'network.connection_reused': timing.reused,
          ...(phase.phase === 'dns' && timing.dnsQuery ? { 'dns.question.name': timing.dnsQuery } : {}),
          'wiretrace.source': 'network capture',
        },
        events: [],
      });
    }
  }
  return children;
}

/** The phases as span-event fields: milliseconds per phase, and whether the connection was reused. */
export function phaseFields(e: NetworkEvent): Array<{ key: string; value: number | boolean }> {
  const timing = e.http?.timing;
  if (!timing) {
    return [];
  }
  return [
    { key: 'connection.reused', value: timing.reused },
    ...timing.phases.map((p) => ({ key: `timing.${p.phase}_ms`, value: Math.max(0, p.endUs - p.startUs) / 1000 })),
  ];
}

// Stable across queries (the same exchange gives the same ids), 16 hex digits like any span id.
function derivedSpanId(parentSpanId: string, eventTimeUs: number, phase: string): string {
  return createHash('sha256').update(`${parentSpanId}/${eventTimeUs}/${phase}`).digest('hex').slice(0, 16);
}
