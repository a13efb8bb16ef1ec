// Renders the datasource editors outside Grafana, with Grafana's dark theme, for screenshots where no Grafana runs.
// The datasource behind the query editor answers its resource routes from a small fixed inventory.
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, DataSourceInstanceSettings, ThemeContext } from '@grafana/data';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import { ConfigEditor } from '../../../src/datasource/components/ConfigEditor/ConfigEditor';
import type { WiretraceSettings } from '../../../src/datasource/components/ConfigEditor/settingsUpdates';
import { QueryEditor } from '../../../src/datasource/components/QueryEditor/QueryEditor';
import { QueryEditorHelp } from '../../../src/datasource/components/QueryEditorHelp';
import type { DataSource } from '../../../src/datasource/datasource';
import { parseResourceOptions, resourcePath, ResourceName } from '../../../src/datasource/resources/resourceOptions';
import type { WiretraceQuery } from '../../../src/datasource/types';

const theme = createTheme({ colors: { mode: 'dark' } });

const upstreams = [
  { uid: 'tempo', name: 'Tempo', type: 'tempo', meta: { id: 'tempo', info: { logos: { small: '' } } }, url: 'http://tempo:3200' },
  { uid: 'loki', name: 'Loki', type: 'loki', meta: { id: 'loki', info: { logos: { small: '' } } }, url: 'http://loki:3100' },
] as unknown as DataSourceInstanceSettings[];

setDataSourceSrv({
  getList: (filters?: { pluginId?: string }) => upstreams.filter((d) => !filters?.pluginId || d.type === filters.pluginId),
  getInstanceSettings: (ref: string | { uid?: string } | null | undefined) =>
    upstreams.find((d) => d.uid === (typeof ref === 'string' ? ref : ref?.uid)),
  get: async () => undefined,
  reload: () => undefined,
  registerRuntimeDataSource: () => undefined,
} as unknown as DataSourceSrv);

const inventory: Record<string, unknown> = {
  namespaces: { namespaces: [{ name: 'demo' }, { name: 'shop' }, { name: 'kube-system' }] },
  pods: { pods: [{ name: 'checkout-7d9f', namespace: 'demo' }, { name: 'payments-5c4b', namespace: 'demo' }] },
  services: { services: [{ name: 'checkout' }, { name: 'payments' }] },
  policies: { policies: [{ name: 'deny-refunds' }, { name: 'default-deny-ingress' }] },
};

const datasource = {
  listResource: async (resource: ResourceName, namespace?: string) =>
    parseResourceOptions(inventory[resourcePath(resource, namespace)] ?? inventory[resource], resource),
} as unknown as DataSource;

const settings = {
  id: 1,
  uid: 'wiretrace',
  orgId: 1,
  name: 'Wiretrace',
  type: 'wiretrace-correlation-datasource',
  typeName: 'Wiretrace',
  typeLogoUrl: '',
  access: 'proxy',
  url: '',
  user: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: true,
  withCredentials: false,
  readOnly: false,
  jsonData: {
    tempo: { url: 'http://tempo:3200', auth: 'none', datasourceUid: 'tempo' },
    loki: { url: 'http://loki:3100', auth: 'bearer', datasourceUid: 'loki' },
    agentUrls: ['http://host.docker.internal:9470'],
    timeoutMs: 30000,
    maxRows: 5000,
    eventsStreamSelector: '{service_name="wiretrace-agent"}',
  },
  secureJsonFields: { lokiToken: true, agentToken: true },
} as unknown as WiretraceSettings;

function ConfigView() {
  const [options, setOptions] = useState(settings);
  return <ConfigEditor options={options} onOptionsChange={setOptions} />;
}

function QueryView({ initial }: { initial: WiretraceQuery }) {
  const [query, setQuery] = useState(initial);
  return <QueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => undefined} />;
}

const views: Record<string, React.ReactNode> = {
  config: <ConfigView />,
  'query-drops': <QueryView initial={{ refId: 'A', queryType: 'drops', namespace: 'demo', asTimeSeries: true, groupBy: 'policy' }} />,
  'query-trace': <QueryView initial={{ refId: 'A', queryType: 'traceNetwork', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', slackMs: 500 }} />,
  'query-flows': <QueryView initial={{ refId: 'A', queryType: 'flows', namespace: 'demo', kinds: ['drop', 'reset'], search: 'payments' }} />,
  help: <QueryEditorHelp datasource={datasource} query={{ refId: 'A' }} onClickExample={() => undefined} />,
};

const view = new URLSearchParams(window.location.search).get('view') ?? 'config';
document.body.style.background = theme.colors.background.primary;
document.body.style.color = theme.colors.text.primary;
document.body.style.fontFamily = theme.typography.fontFamily;
document.body.style.fontSize = `${theme.typography.fontSize}px`;
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <div style={{ padding: 24, maxWidth: 1100 }}>{views[view]}</div>
  </ThemeContext.Provider>
);
