// With a running Grafana: a Wiretrace datasource created through Grafana's API for this run, queried through
// /api/ds/query, and deleted afterwards. Anonymous admin (the stack's grafana.ini) or GRAFANA_AUTH=user:password.
import { GrafanaQueryClient, type DatasourceSettings } from './backendQuery';

const DATASOURCE_TYPE = 'wiretrace-correlation-datasource';

function headers(): Record<string, string> {
  const auth = process.env.GRAFANA_AUTH;
  return {
    'content-type': 'application/json',
    ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}),
  };
}

export async function grafanaQueryClient(
  grafanaUrl: string,
  settings: DatasourceSettings
): Promise<{ client: GrafanaQueryClient; dispose: () => Promise<void> }> {
  const uid = `${settings.uid}-${Date.now().toString(36)}`;
  const response = await fetch(`${grafanaUrl}/api/datasources`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      uid,
      name: `${settings.name} ${uid}`,
      type: DATASOURCE_TYPE,
      access: 'proxy',
      jsonData: settings.jsonData,
      secureJsonData: settings.secureJsonData ?? {},
    }),
  });
  if (!response.ok) {
    throw new Error(`Grafana refused to create the datasource: ${response.status} ${await response.text()}`);
  }
  return {
    client: new GrafanaQueryClient(grafanaUrl, uid),
    dispose: async () => {
      await fetch(`${grafanaUrl}/api/datasources/uid/${uid}`, { method: 'DELETE', headers: headers() });
    },
  };
}
