// Datasource settings: jsonData is visible to every Grafana user; secrets live only in secureJsonData.

export type UpstreamAuth = 'none' | 'basic' | 'bearer';

export interface UpstreamSettings {
  url?: string;
  auth?: UpstreamAuth;
  basicAuthUser?: string;
  // Uid of an existing Grafana Tempo/Loki datasource this upstream mirrors (shown in the editor, used for links).
  datasourceUid?: string;
}

export interface WiretraceJsonData {
  tempo?: UpstreamSettings;
  loki?: UpstreamSettings;
  // One URL per capture agent (or the agents' Service).
  agentUrls?: string[];
  // Sent as X-Scope-OrgID to Tempo and Loki.
  tenant?: string;
  timeoutMs?: number;
  maxRows?: number;
  maxConcurrency?: number;
  // Selector of the agents' durable events in Loki.
  eventsStreamSelector?: string;
}

// Keys of secureJsonData; their values never leave the Grafana server.
export interface WiretraceSecureJsonData {
  tempoPassword?: string;
  tempoToken?: string;
  lokiPassword?: string;
  lokiToken?: string;
  agentToken?: string;
}

export const SECURE_KEYS: Array<keyof WiretraceSecureJsonData> = [
  'tempoPassword',
  'tempoToken',
  'lokiPassword',
  'lokiToken',
  'agentToken',
];
