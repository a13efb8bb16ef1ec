import { DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { DataSource } from './datasource';
import { WiretraceJsonData } from './types';

// Variable values as a dashboard would hold them; formats follow Grafana's (csv joins multi-values).
const values: Record<string, string | string[]> = { namespace: 'shop', pod: '*', kinds: ['drop', 'dns'], allKinds: '*' };

function replace(target?: string, _scoped?: ScopedVars, format?: string): string {
  return (target ?? '').replace(/\$(\w+)/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      return whole;
    }
    return Array.isArray(value) ? (format === 'csv' ? value.join(',') : `{${value.join(',')}}`) : value;
  });
}

beforeAll(() => setTemplateSrv({ replace } as unknown as TemplateSrv));

const settings = {
  uid: 'wiretrace',
  type: 'wiretrace-correlation-datasource',
  jsonData: { tempo: { datasourceUid: 'tempo' }, loki: { datasourceUid: 'loki' } },
} as unknown as DataSourceInstanceSettings<WiretraceJsonData>;

describe('DataSource.applyTemplateVariables', () => {
  const ds = new DataSource(settings);

  it('resolves variables and turns All into no filter', () => {
    const query = ds.applyTemplateVariables({ refId: 'A', queryType: 'drops', namespace: '$namespace', pod: '$pod' }, {});
    expect(query).toEqual({ refId: 'A', queryType: 'drops', namespace: 'shop', pod: undefined });
  });

  it('expands a multi-value kinds variable, and All into every kind', () => {
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'flows', kinds: ['$kinds'] }, {}).kinds).toEqual(['drop', 'dns']);
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'flows', kinds: ['$allKinds'] }, {}).kinds).toBeUndefined();
  });

  it('remembers the Tempo and Loki datasources it links to', () => {
    expect(ds.tempoDatasourceUid).toBe('tempo');
    expect(ds.lokiDatasourceUid).toBe('loki');
  });
});

describe('DataSource.metricFindQuery', () => {
  it('lists a resource scoped by an interpolated namespace', async () => {
    const ds = new DataSource(settings);
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue({ pods: [{ name: 'checkout-1', namespace: 'shop' }] });
    await expect(ds.metricFindQuery('pods?namespace=$namespace')).resolves.toEqual([{ text: 'checkout-1', value: 'checkout-1' }]);
    expect(getResource).toHaveBeenCalledWith('pods?namespace=shop');
  });

  it('rejects a query that names no resource', async () => {
    const ds = new DataSource(settings);
    await expect(ds.metricFindQuery('deployments')).rejects.toThrow(/Unknown Wiretrace variable query/);
  });
});
