import { traceExploreUrl } from '../pages/shared/appUrls';
import { traceIdQuery, traceStoreLink } from './traceStoreLink';

describe('traceStoreLink', () => {
  it('is Tempo unless Jaeger is chosen, each with its own datasource', () => {
    expect(traceStoreLink({ tempo: { datasourceUid: 't' } })).toEqual({ kind: 'tempo', name: 'Tempo', uid: 't' });
    expect(traceStoreLink({ traceStore: 'jaeger', tempo: { datasourceUid: 't' } })).toEqual({
      kind: 'jaeger',
      name: 'Jaeger',
      uid: undefined,
    });
    expect(traceStoreLink(undefined)).toEqual({ kind: 'tempo', name: 'Tempo', uid: undefined });
  });

  it('asks Jaeger for a trace id without a query type and Tempo with TraceQL', () => {
    expect(traceIdQuery('jaeger', 'abc')).toEqual({ query: 'abc' });
    expect(traceIdQuery('tempo', 'abc')).toEqual({ queryType: 'traceql', query: 'abc' });
    const url = traceExploreUrl({ kind: 'jaeger', uid: 'jaeger-uid' }, 'abc', { from: 'now-1h', to: 'now' });
    const panes = JSON.parse(new URL(url, 'http://grafana').searchParams.get('panes') ?? '{}');
    expect(panes.wt).toEqual({
      datasource: 'jaeger-uid',
      queries: [{ refId: 'A', datasource: { uid: 'jaeger-uid' }, query: 'abc' }],
      range: { from: 'now-1h', to: 'now' },
    });
  });
});
