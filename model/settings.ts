// Datasource settings: jsonData is visible to every Grafana user; secrets live only in secureJsonData.

export type UpstreamAuth = 'none' | 'basic' | 'bearer';

export interface UpstreamSettings {
  url?: string;
  auth?: UpstreamAuth;
  basicAuthUser?: string;
  // Uid of an existing Grafana Tempo/Jaeger/Loki datasource this upstream mirrors (shown in the editor, used for links).
  datasourceUid?: string;
}

// Where spans are read from: Tempo (TraceQL) or Jaeger (its query API).
export type TraceStoreKind = 'tempo' | 'jaeger';

export const TRACE_STORES: readonly TraceStoreKind[] = ['tempo', 'jaeger'];

export interface JaegerSettings extends UpstreamSettings {
  // The query service's gRPC endpoint (http:// or https://host:port); search runs there because only gRPC
  // honours attribute filters. Defaults to the URL's host on port 16685.
  grpcUrl?: string;
}

// Where application logs are read from: Loki (LogQL) or VictoriaLogs (LogsQL).
export type LogStoreKind = 'loki' | 'victorialogs';

export const LOG_STORES: readonly LogStoreKind[] = ['loki', 'victorialogs'];

export interface WiretraceJsonData {
  // Default tempo.
  traceStore?: TraceStoreKind;
  tempo?: UpstreamSettings;
  jaeger?: JaegerSettings;
  loki?: UpstreamSettings;
  // Default loki.
  logStore?: LogStoreKind;
  victorialogs?: UpstreamSettings;
  // One URL per capture agent (or the agents' Service).
  agentUrls?: string[];
  // Sent as X-Scope-OrgID to Tempo, Jaeger (HTTP) and Loki.
  tenant?: string;
  timeoutMs?: number;
  maxRows?: number;
  maxConcurrency?: number;
  // Capture agents: each request's bound, and how many run at once for the instance (a headless Service
  // expands to one agent per pod). Defaults 10 s (or timeoutMs when lower) and 32.
  agentTimeoutMs?: number;
  agentConcurrency?: number;
  // Selector of the agents' durable events in Loki.
  eventsStreamSelector?: string;
}

// Keys of secureJsonData; their values never leave the Grafana server.
export interface WiretraceSecureJsonData {
  tempoPassword?: string;
  tempoToken?: string;
  jaegerPassword?: string;
  jaegerToken?: string;
  lokiPassword?: string;
  lokiToken?: string;
  victorialogsPassword?: string;
  victorialogsToken?: string;
  agentToken?: string;
}

export const SECURE_KEYS: Array<keyof WiretraceSecureJsonData> = [
  'tempoPassword',
  'tempoToken',
  'jaegerPassword',
  'jaegerToken',
  'lokiPassword',
  'lokiToken',
  'victorialogsPassword',
  'victorialogsToken',
  'agentToken',
];
