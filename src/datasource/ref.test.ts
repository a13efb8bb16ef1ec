import { DataSourceInstanceSettings } from '@grafana/data';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import { findWiretraceDatasource } from './ref';
import type { WiretraceJsonData } from './types';

function withDatasources(list: Array<Partial<DataSourceInstanceSettings<WiretraceJsonData>>>) {
  setDataSourceSrv({ getList: () => list } as unknown as DataSourceSrv);
}

describe('findWiretraceDatasource', () => {
  it('prefers the provisioned uid and reads the Tempo and Loki it links to', () => {
    withDatasources([
      { uid: 'mine', jsonData: {} },
      { uid: 'wiretrace', jsonData: { tempo: { datasourceUid: 'tempo' }, loki: { datasourceUid: 'loki' } } },
    ]);
    expect(findWiretraceDatasource()).toEqual({
      ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' },
      tempoUid: 'tempo',
      lokiUid: 'loki',
      traceStore: { kind: 'tempo', name: 'Tempo', uid: 'tempo' },
    });
  });

  it('reads Jaeger as the trace store when chosen', () => {
    withDatasources([
      { uid: 'wiretrace', jsonData: { traceStore: 'jaeger', jaeger: { datasourceUid: 'jaeger' }, tempo: { datasourceUid: 'tempo' } } },
    ]);
    expect(findWiretraceDatasource()?.traceStore).toEqual({ kind: 'jaeger', name: 'Jaeger', uid: 'jaeger' });
  });

  it('falls back to the first Wiretrace datasource, and to none', () => {
    withDatasources([{ uid: 'mine', jsonData: {} }]);
    expect(findWiretraceDatasource()?.ref.uid).toBe('mine');
    withDatasources([]);
    expect(findWiretraceDatasource()).toBeUndefined();
  });
});
