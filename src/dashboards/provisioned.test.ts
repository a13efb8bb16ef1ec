/**
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
// Reads provisioning files from disk with the yaml package's Node build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isQueryType } from '../../model/query';
import { parseVariableQuery } from '../datasource/resources/variableQuery';
import { investigatePathFor } from '../extensions/traceViewLink';
import pluginJson from '../plugin.json';
import dashboard from './network-traces.json';

const root = join(__dirname, '..', '..');

interface Target {
  queryType?: string;
  datasource?: { uid?: string };
}

describe('bundled dashboard', () => {
  it('is included in the app and every panel queries Wiretrace with a known query type', () => {
    expect(pluginJson.includes).toContainEqual(
      expect.objectContaining({ type: 'dashboard', path: 'dashboards/network-traces.json' })
    );
    for (const panel of dashboard.panels) {
      for (const target of panel.targets as Target[]) {
        expect(target.datasource?.uid).toBe('${datasource}');
        expect(isQueryType(target.queryType)).toBe(true);
      }
    }
  });

  it('names its Wiretrace datasource through a variable, so any instance serves it', () => {
    expect(dashboard.templating.list[0]).toMatchObject({
      name: 'datasource',
      type: 'datasource',
      query: 'wiretrace-correlation-datasource',
    });
    expect(JSON.stringify(dashboard)).not.toMatch(/"uid":"wiretrace"/);
  });

  it('has one owner: the app imports it, no file provider provisions the same uid', () => {
    expect(existsSync(join(root, 'provisioning/dashboards'))).toBe(false);
  });

  it('has its variables answered by the datasource’s variable queries', () => {
    for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
      expect(() => parseVariableQuery(variable.query)).not.toThrow();
    }
  });
});

interface ProvisionedDatasource {
  uid: string;
  jsonData: { tempo?: { datasourceUid?: string } };
  correlations?: Array<{
    targetUID?: string;
    type?: string;
    description?: string;
    config: { type: string; field?: string; target: Record<string, unknown> & { url?: string } };
  }>;
}

describe('provisioned datasources', () => {
  const file: { datasources: ProvisionedDatasource[] } = parse(
    readFileSync(join(root, 'provisioning/datasources/wiretrace.yaml'), 'utf8')
  );
  const byUid = new Map(file.datasources.map((d) => [d.uid, d]));

  it('have the fixed uids links and dashboards use', () => {
    expect([...byUid.keys()].sort()).toEqual(['loki', 'prometheus', 'tempo', 'wiretrace']);
    expect(byUid.get('wiretrace')?.jsonData.tempo?.datasourceUid).toBe('tempo');
  });

  it('open a trace’s drop case from Tempo: the case when one drop explains it, else the trace’s page', () => {
    const [toCase] = byUid.get('tempo')?.correlations ?? [];
    expect(toCase.type).toBe('external');
    expect(toCase.config.field).toBe('traceID');
    expect(toCase.config.target).toEqual({
      url: '/a/wiretrace-correlation-app/investigate?traceId=$${traceID}&case=single',
    });
    // The URL is the one the trace-view header link opens, so both land on the same case view.
    const path = investigatePathFor({ traceID: '0af7651916cd43dd8448eb211c80319c' })!;
    expect(toCase.config.target.url).toBe(path.replace('0af7651916cd43dd8448eb211c80319c', () => '$${traceID}'));
  });

  it('correlate Tempo traces to the traceNetwork query, with a description and an escaped variable', () => {
    const [, correlation] = byUid.get('tempo')?.correlations ?? [];
    expect(correlation.targetUID).toBe('wiretrace');
    expect(correlation.description).toBeTruthy();
    expect(correlation.config.type).toBe('query');
    // Grafana expands ${…} in provisioning files from the environment; $$ keeps the correlation variable.
    expect(correlation.config.target).toEqual({ queryType: 'traceNetwork', traceId: '$${traceID}', slackMs: 500 });
  });
});
