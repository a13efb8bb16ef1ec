// Shapes of the decoded pluginv2 messages (protobufjs toObject output with defaults), used only in protocol/.

export interface DataSourceInstanceSettingsMessage {
  name: string;
  url: string;
  uid: string;
  jsonData: Uint8Array;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMS: number;
}

export interface PluginContextMessage {
  orgId: number;
  pluginId: string;
  dataSourceInstanceSettings?: DataSourceInstanceSettingsMessage | null;
}

export interface DataQueryMessage {
  refId: string;
  maxDataPoints: number;
  intervalMS: number;
  timeRange?: { fromEpochMS: number; toEpochMS: number } | null;
  json: Uint8Array;
  queryType: string;
}

export interface QueryDataRequestMessage {
  pluginContext?: PluginContextMessage | null;
  headers: Record<string, string>;
  queries: DataQueryMessage[];
}

export interface DataResponseMessage {
  frames: Uint8Array[];
  error?: string;
  status: number;
  errorSource?: string;
}

export interface CheckHealthRequestMessage {
  pluginContext?: PluginContextMessage | null;
}

export interface CallResourceRequestMessage {
  pluginContext?: PluginContextMessage | null;
  path: string;
  method: string;
  url: string;
  headers: Record<string, { values: string[] }>;
  body: Uint8Array;
}
