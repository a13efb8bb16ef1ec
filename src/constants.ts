import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
export const DATASOURCE_TYPE = 'wiretrace-correlation-datasource';

export enum ROUTES {
  Overview = 'overview',
  Investigate = 'investigate',
  Topology = 'topology',
  Flows = 'flows',
}

// The provisioned Wiretrace datasource; pages fall back to the first of its type.
export const WIRETRACE_DS_UID = 'wiretrace';
