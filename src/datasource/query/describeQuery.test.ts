import { describeQuery, withQueryType } from './describeQuery';

describe('describeQuery', () => {
  it('summarises the type and the filters that are set', () => {
    expect(describeQuery({ refId: 'A', queryType: 'drops', namespace: 'shop', asTimeSeries: true, groupBy: 'policy' })).toBe(
      'Drops namespace=shop time series by policy'
    );
    expect(describeQuery({ refId: 'A', queryType: 'flows', kinds: ['drop', 'dns'] })).toBe('Flows kinds=drop,dns');
    expect(describeQuery({ refId: 'A' })).toBe('Wiretrace: no query type');
  });
});

describe('withQueryType', () => {
  it('keeps only the filters the new type reads', () => {
    const next = withQueryType({ refId: 'B', queryType: 'drops', namespace: 'shop', policy: 'deny', limit: 10, hide: false }, 'logs');
    expect(next).toEqual({ refId: 'B', queryType: 'logs', namespace: 'shop', limit: 10, hide: false });
  });
});
