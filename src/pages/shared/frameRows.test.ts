import { FieldType, toDataFrame } from '@grafana/data';
import { lastValueFrom, of } from 'rxjs';
import { hasMatchedSpan, isFailedDns, keepRows, keepRowsTransform, topPairs } from './frameRows';

const drops = toDataFrame({
  fields: [
    { name: 'src_namespace', type: FieldType.string, values: ['shop', 'shop', 'shop', 'ops'] },
    { name: 'src_pod', type: FieldType.string, values: ['checkout-1', 'checkout-1', 'frontend-1', 'probe'] },
    { name: 'dst_namespace', type: FieldType.string, values: ['pay', 'pay', 'shop', null] },
    { name: 'dst_service', type: FieldType.string, values: ['payments', 'payments', 'checkout', null] },
    { name: 'trace_id', type: FieldType.string, values: ['4bf92f3577b34da6a3ce929d0e0e4736', null, '', 'aa'] },
  ],
});

describe('topPairs', () => {
  it('counts drops per namespaced source and destination, most frequent first', () => {
    const frame = topPairs([drops], 10);
    expect(frame.fields.map((f) => f.name)).toEqual(['source', 'destination', 'drops']);
    expect(frame.fields[0].values).toEqual(['shop/checkout-1', 'ops/probe', 'shop/frontend-1']);
    expect(frame.fields[1].values).toEqual(['pay/payments', '(unknown)', 'shop/checkout']);
    expect(frame.fields[2].values).toEqual([2, 1, 1]);
  });

  it('honours the limit and skips frames without endpoint columns', () => {
    expect(topPairs([drops], 1).length).toBe(1);
    expect(topPairs([toDataFrame({ fields: [{ name: 'x', values: [1] }] })], 5).length).toBe(0);
  });
});

describe('keepRows', () => {
  it('keeps drops the join matched to a span', () => {
    const [kept] = keepRows([drops], hasMatchedSpan);
    expect(kept.length).toBe(2);
    expect(kept.fields[1].values).toEqual(['checkout-1', 'probe']);
  });

  it('keeps failed and unanswered DNS lookups', () => {
    const dns = toDataFrame({
      fields: [
        { name: 'query', values: ['a.svc', 'b.svc', 'c.svc', 'd.svc'] },
        { name: 'rcode', values: ['NOERROR', 'NXDOMAIN', null, 'SERVFAIL'] },
        { name: 'answered', values: [true, true, false, true] },
      ],
    });
    expect(keepRows([dns], isFailedDns)[0].fields[0].values).toEqual(['b.svc', 'c.svc', 'd.svc']);
  });

  it('works as a scene transformation', async () => {
    const operator = keepRowsTransform(hasMatchedSpan)({ interpolate: (s: string) => s });
    const [frame] = await lastValueFrom(of([drops]).pipe(operator));
    expect(frame.length).toBe(2);
  });
});
