// What the host serves as Grafana's state: window.grafanaBootData, the plugin settings pages load, the
// provisioned dashboards, and the datasource instances (with their secrets, which only the Go front sees).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const APP_ID = 'wiretrace-correlation-app';
export const BACKEND_TYPE = 'wiretrace-correlation-datasource';
// The core panels the pages and the dashboard use; the host renders labelled stand-ins for them.
export const CORE_PANELS = ['table', 'timeseries', 'stat', 'nodeGraph', 'traces', 'logs', 'text'];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

function appMeta(dist) {
  const json = readJson(join(dist, 'plugin.json'));
  return {
    ...json,
    type: 'app',
    enabled: true,
    pinned: true,
    jsonData: {},
    secureJsonFields: {},
    module: `public/plugins/${APP_ID}/module.js`,
    baseUrl: `public/plugins/${APP_ID}`,
    latestVersion: json.info.version,
    hasUpdate: false,
    defaultNavUrl: `/a/${APP_ID}/overview`,
  };
}

function datasourceMeta(dist) {
  const json = readJson(join(dist, 'datasource', 'plugin.json'));
  return {
    ...json,
    module: `public/plugins/${APP_ID}/datasource/module.js`,
    baseUrl: `public/plugins/${APP_ID}/datasource`,
  };
}

// Core datasources have no module here: the host shows what a link to them would open.
function coreDatasourceMeta(type) {
  const name = type[0].toUpperCase() + type.slice(1);
  return {
    id: type,
    type: 'datasource',
    name,
    module: `core:plugin/${type}`,
    baseUrl: `public/app/plugins/datasource/${type}`,
    info: { author: { name: 'Grafana Labs' }, description: name, logos: { small: '', large: '' }, version: '', updated: '' },
    tracing: type === 'tempo' || type === 'jaeger',
    logs: type === 'loki',
    metrics: type === 'prometheus',
  };
}

/**
 * @param {{ dist: string, datasources: Array<{uid: string, name: string, type: string, url?: string,
 *   isDefault?: boolean, jsonData?: object, secureJsonData?: Record<string, string>}> }} options
 */
export function hostConfig({ dist, datasources }) {
  const app = appMeta(dist);
  const dsMeta = datasourceMeta(dist);
  const bootDatasources = {};
  datasources.forEach((d, i) => {
    bootDatasources[d.name] = {
      id: i + 1,
      uid: d.uid,
      name: d.name,
      type: d.type,
      url: d.url ?? '',
      access: 'proxy',
      isDefault: Boolean(d.isDefault),
      readOnly: false,
      jsonData: d.jsonData ?? {},
      meta: d.type === BACKEND_TYPE ? dsMeta : coreDatasourceMeta(d.type),
    };
  });
  const panels = Object.fromEntries(
    CORE_PANELS.map((id, sort) => [
      id,
      {
        id,
        name: `${id} (stand-in)`,
        type: 'panel',
        sort,
        module: `core:plugin/${id}`,
        baseUrl: `public/app/plugins/panel/${id}`,
        info: { author: { name: 'Grafana Labs' }, description: '', logos: { small: '', large: '' }, version: '', updated: '' },
        skipDataQuery: id === 'text',
        hideFromList: false,
      },
    ])
  );
  const boot = {
    user: { id: 1, login: 'admin', name: 'admin', orgId: 1, orgName: 'Main Org.', orgRole: 'Admin', isSignedIn: true,
      isGrafanaAdmin: true, timezone: 'browser', weekStart: 'browser', theme: 'dark', lightTheme: false, locale: 'en-US',
      language: 'en-US', permissions: {} },
    settings: {
      appUrl: 'http://localhost/',
      appSubUrl: '',
      buildInfo: { version: '12.4.2', commit: 'host', env: 'production', edition: 'Open Source', buildstamp: 0 },
      datasources: bootDatasources,
      defaultDatasource: datasources.find((d) => d.isDefault)?.name ?? datasources[0]?.name ?? '',
      panels,
      apps: {
        [APP_ID]: {
          id: APP_ID,
          path: app.module,
          version: app.info.version,
          preload: false,
          angular: { detected: false },
          loadingStrategy: 'script',
          extensions: {
            addedLinks: app.extensions?.addedLinks ?? [],
            addedComponents: [],
            addedFunctions: [],
            exposedComponents: [],
            extensionPoints: [],
          },
          dependencies: app.dependencies,
        },
      },
      featureToggles: {},
      datasourceRequestTimeout: 120,
      minRefreshInterval: '5s',
      bootData: undefined,
    },
    navTree: [],
    assets: {},
  };
  const dashboards = {};
  const dashboardDir = join(dist, 'dashboards');
  for (const file of readdirSync(dashboardDir).filter((f) => f.endsWith('.json'))) {
    const dashboard = readJson(join(dashboardDir, file));
    dashboards[dashboard.uid] = dashboard;
  }
  return {
    backendType: BACKEND_TYPE,
    datasources,
    boot,
    pluginSettings: { [APP_ID]: app, [BACKEND_TYPE]: dsMeta },
    dashboards,
  };
}
