// The datasource settings page: the plugin's ConfigEditor on the stored settings, and Save & test as Grafana does
// it (PUT the settings, then the datasource's own testDatasource, i.e. the backend's CheckHealth).
import React, { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { DataSourcePluginMeta, DataSourceSettings, TestDataSourceResponse } from '@grafana/data';
import { config, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder } from '@grafana/ui';
import type { HostDataSourceSrv } from '../services/dataSourceSrv';

type Editor = React.ComponentType<{ options: DataSourceSettings; onOptionsChange: (o: DataSourceSettings) => void }>;

interface TestStatus {
  status: string;
  message: string;
  details?: { message?: string; verboseMessage?: string };
}

export function DatasourceConfigPage() {
  const { uid = '' } = useParams();
  const [options, setOptions] = useState<DataSourceSettings>();
  const [Editor, setEditor] = useState<{ component: Editor }>();
  const [error, setError] = useState<string>();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestStatus>();
  const srv = getDataSourceSrv() as HostDataSourceSrv;

  useEffect(() => {
    (async () => {
      const settings = await getBackendSrv().get<DataSourceSettings>(`/api/datasources/uid/${uid}`);
      const instance = srv.getInstanceSettings(uid);
      if (!instance) {
        throw new Error(`Datasource ${uid} was not found`);
      }
      const plugin = await srv.plugin(instance);
      if (!plugin.components.ConfigEditor) {
        throw new Error(`${instance.meta.id} has no ConfigEditor`);
      }
      setOptions(settings);
      setEditor({ component: plugin.components.ConfigEditor as Editor });
    })().catch((err: Error) => setError(err.message ?? String(err)));
  }, [uid, srv]);

  const saveAndTest = async () => {
    if (!options) {
      return;
    }
    setTesting(true);
    setResult(undefined);
    try {
      const saved = await getBackendSrv().put<{ datasource: DataSourceSettings }>(`/api/datasources/uid/${uid}`, options);
      setOptions({ ...saved.datasource, secureJsonData: {} });
      const instance = srv.getInstanceSettings(uid);
      if (instance) {
        instance.jsonData = saved.datasource.jsonData;
      }
      srv.forget(uid);
      const ds = await srv.get(uid);
      const tested = (await ds.testDatasource()) as TestDataSourceResponse & { details?: TestStatus['details'] };
      setResult({ status: tested.status, message: tested.message, details: tested.details });
    } catch (err) {
      const e = err as { data?: { message?: string }; message?: string };
      setResult({ status: 'error', message: e.data?.message ?? e.message ?? String(err) });
    } finally {
      setTesting(false);
    }
  };

  if (error) {
    return (
      <Alert severity="error" title="Datasource settings could not be loaded" data-testid="host-datasource-error">
        {error}
      </Alert>
    );
  }
  if (!options || !Editor) {
    return <LoadingPlaceholder text="Loading datasource settings…" />;
  }
  const ConfigEditor = Editor.component;
  const meta = config.datasources[options.name]?.meta as DataSourcePluginMeta | undefined;
  return (
    <div style={{ maxWidth: 1000 }}>
      <h2>
        {options.name} <small style={{ opacity: 0.7 }}>({meta?.name ?? options.type})</small>
      </h2>
      <ConfigEditor options={options} onOptionsChange={setOptions} />
      {result && (
        <div data-testid="data-testid Alert" style={{ margin: '16px 0' }}>
          <Alert severity={result.status === 'success' ? 'success' : 'error'} title={result.message} data-testid="host-test-result">
            {result.details?.message && <div>{result.details.message}</div>}
            {result.details?.verboseMessage && <pre style={{ whiteSpace: 'pre-wrap' }}>{result.details.verboseMessage}</pre>}
          </Alert>
        </div>
      )}
      <Button onClick={saveAndTest} disabled={testing} data-testid="data-testid Data source settings page Save and Test button">
        {testing ? 'Testing…' : 'Save & test'}
      </Button>
    </div>
  );
}

export function NewDatasourcePage() {
  const list = Object.values(config.datasources);
  return (
    <div data-testid="host-new-datasource">
      <h2>Add data source</h2>
      <p>Grafana adds datasources here; the test host serves the ones it was started with:</p>
      <ul>
        {list.map((d) => (
          <li key={d.uid}>
            <a href={`/connections/datasources/edit/${d.uid}`}>{d.name}</a> ({d.type})
          </li>
        ))}
      </ul>
    </div>
  );
}
