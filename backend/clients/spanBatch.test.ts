import { SpanBatchBuilder, spanAt, spanBatchOf } from './spanBatch';
import type { Span } from './tempoSpan';

function span(i: number, overrides: Partial<Span> = {}): Span {
  return {
    traceId: i.toString(16).padStart(32, '0'),
    spanId: i.toString(16).padStart(16, '0'),
    name: i % 2 ? 'GET' : 'POST',
    kind: 'client',
    startUs: 1_000 * i,
    endUs: 1_000 * i + 500,
    status: i % 3 ? { code: 'unset', message: undefined } : { code: 'error', message: 'connect ETIMEDOUT' },
    service: 'frontend',
    resource: { 'service.name': 'frontend', 'k8s.pod.name': `pod-${i % 2}` },
    attributes: { 'server.address': 'payments', 'server.port': 8443 },
    events: [],
    ...overrides,
  };
}

describe('SpanBatch', () => {
  it('gives every span back as it went in, through growth from a small capacity', () => {
    const spans = Array.from({ length: 40 }, (_, i) => span(i, i === 7 ? { parentSpanId: 'aa00000000000001' } : {}));
    const builder = new SpanBatchBuilder(1);
    spans.forEach((s) => builder.addSpan(s));
    const batch = builder.build();
    expect(batch.size).toBe(40);
    spans.forEach((s, i) => expect(spanAt(batch, i)).toEqual(s));
  });

  it('keeps ids that are not normalised hex exactly as given', () => {
    const odd = [
      span(1, { traceId: '0AF7651916CD43DD8448EB211C80319C', spanId: 'span-1' }),
      span(2, { traceId: 'abc', spanId: '' }),
      span(3),
    ];
    const batch = spanBatchOf(odd);
    odd.forEach((s, i) => expect([spanAt(batch, i).traceId, spanAt(batch, i).spanId]).toEqual([s.traceId, s.spanId]));
  });

  it('stores equal resources, attribute sets and strings once, whatever the key order', () => {
    const batch = spanBatchOf([
      span(1),
      span(3, { attributes: { 'server.port': 8443, 'server.address': 'payments' } }),
      span(5, { attributes: { 'server.address': 'payments', 'server.port': '8443' } }),
    ]);
    expect(batch.resources).toHaveLength(1);
    expect(batch.attributeSets).toHaveLength(2);
    expect([...batch.attributes]).toEqual([0, 0, 1]);
    expect(batch.strings.filter((s) => s === 'frontend')).toHaveLength(1);
  });
});
