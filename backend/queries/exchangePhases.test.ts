import type { ExchangeTiming, NetworkEvent } from '../../model/events';
import type { Span } from '../clients/tempoSpan';
import type { Frame } from '../frames/frame';
import { queryContext } from '../testkit/queryContext';
import { traceFrame } from './traceFrame';

const T = 1_700_000_000_000_000;
const TRACE = '0af7651916cd43dd8448eb211c80319c';

function clientSpan(spanId: string, startUs: number, endUs: number): Span {
  return {
    traceId: TRACE,
    spanId,
    name: 'GET',
    kind: 'client',
    startUs,
    endUs,
    status: { code: 'unset' },
    service: 'frontend',
    resource: { 'service.name': 'frontend' },
    attributes: {},
    events: [],
  };
}

function exchange(spanId: string, timeUs: number, timing: ExchangeTiming): NetworkEvent {
  return {
    kind: 'http',
    source: 'pcap',
    time: timeUs,
    src: { ip: '10.244.1.10', port: 40000, namespace: 'shop', pod: 'frontend' },
    dst: { ip: '10.244.2.30', port: 8443, namespace: 'shop', pod: 'catalog' },
    transport: 'tcp',
    spanId,
    traceId: TRACE,
    http: { method: 'GET', path: '/api/items', status: 200, requestHeaders: {}, timing },
  };
}

function rows(frame: Frame): Array<Record<string, unknown>> {
  const n = frame.fields[0].values.length;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
}

const ctx = () => queryContext({ queryType: 'traceNetwork' }, {}, { fromMs: 0, toMs: 1 });

describe('exchange phases in the trace frame', () => {
  const fresh: ExchangeTiming = {
    reused: false,
    dnsQuery: 'catalog.shop.svc',
    phases: [
      { phase: 'dns', startUs: T, endUs: T + 240 },
      { phase: 'connect', startUs: T + 300, endUs: T + 320 },
      { phase: 'tls', startUs: T + 320, endUs: T + 4_220 },
      { phase: 'request', startUs: T + 4_300, endUs: T + 4_310 },
      { phase: 'ttfb', startUs: T + 4_310, endUs: T + 16_810 },
      { phase: 'transfer', startUs: T + 16_810, endUs: T + 24_810 },
    ],
  };

  it('puts each phase of the span’s exchange under it as a child span, and the milliseconds in its span event', () => {
    const span = clientSpan('b7ad6b7169203331', T - 100, T + 25_000);
    const frame = traceFrame(ctx(), [span], [exchange(span.spanId, T + 24_810, fresh)], {
      eventsBySpan: new Map([[0, [0]]]),
      explanations: new Map(),
    });
    const [parent, ...children] = rows(frame);
    expect(parent.spanID).toBe(span.spanId);
    expect(children.map((c) => [c.operationName, c.startTime, c.duration])).toEqual([
      ['network: DNS lookup', T / 1000, 0.24],
      ['network: TCP connect', (T + 300) / 1000, 0.02],
      ['network: TLS handshake', (T + 320) / 1000, 3.9],
      ['network: request sent', (T + 4_300) / 1000, 0.01],
      ['network: time to first byte', (T + 4_310) / 1000, 12.5],
      ['network: response transfer', (T + 16_810) / 1000, 8],
    ]);
    expect(new Set(children.map((c) => c.parentSpanID))).toEqual(new Set([span.spanId]));
    expect(new Set(children.map((c) => c.spanID)).size).toBe(6);
    expect(children.every((c) => /^[0-9a-f]{16}$/.test(String(c.spanID)))).toBe(true);
    const log = (parent.logs as Array<{ fields: Array<{ key: string; value: unknown }> }>)[0];
    expect(log.fields).toEqual(
      expect.arrayContaining([
        { key: 'connection.reused', value: false },
        { key: 'timing.tls_ms', value: 3.9 },
        { key: 'timing.ttfb_ms', value: 12.5 },
      ])
    );
    // The same exchange gives the same ids on the next query.
    const again = traceFrame(ctx(), [span], [exchange(span.spanId, T + 24_810, fresh)], {
      eventsBySpan: new Map([[0, [0]]]),
      explanations: new Map(),
    });
    expect(rows(again).map((r) => r.spanID)).toEqual([parent, ...children].map((r) => r.spanID));
  });

  it('says a reused connection was reused, and leaves an exchange of another span to that span', () => {
    const first = clientSpan('b7ad6b7169203331', T, T + 10_000);
    const second = clientSpan('c8be7c8270314442', T, T + 10_000);
    const reused: ExchangeTiming = {
      reused: true,
      phases: [
        { phase: 'connect', startUs: T + 10, endUs: T + 10 },
        { phase: 'ttfb', startUs: T + 20, endUs: T + 2_020 },
      ],
    };
    // Both spans overlap the exchange; its traceparent names the second.
    const frame = traceFrame(ctx(), [first, second], [exchange(second.spanId, T + 2_020, reused)], {
      eventsBySpan: new Map([
        [0, [0]],
        [1, [0]],
      ]),
      explanations: new Map(),
    });
    const children = rows(frame).slice(2);
    expect(children.map((c) => [c.parentSpanID, c.operationName, c.duration])).toEqual([
      [second.spanId, 'network: TCP connect (connection reused)', 0],
      [second.spanId, 'network: time to first byte', 2],
    ]);
  });
});
