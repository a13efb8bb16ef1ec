import type { DataSourceSettings } from '@grafana/data';
import type { JaegerSettings, LogStoreKind, TraceStoreKind } from '../../../../model/settings';
import type { WiretraceJsonData, WiretraceSecureJsonData } from '../../types';

export type WiretraceSettings = DataSourceSettings<WiretraceJsonData, WiretraceSecureJsonData>;
export type UpstreamName = 'tempo' | 'jaeger' | 'loki' | 'victorialogs';
export type SecureKey = keyof WiretraceSecureJsonData;

// Pure updates of the datasource settings; the editor only wires them to inputs.

export function setJsonData<K extends keyof WiretraceJsonData>(
  options: WiretraceSettings,
  key: K,
  value: WiretraceJsonData[K]
): WiretraceSettings {
  return { ...options, jsonData: { ...options.jsonData, [key]: value } };
}

// JaegerSettings is UpstreamSettings plus Jaeger's gRPC URL; other upstreams ignore that key.
export function setUpstream(
  options: WiretraceSettings,
  upstream: UpstreamName,
  patch: Partial<JaegerSettings>
): WiretraceSettings {
  return setJsonData(options, upstream, { ...options.jsonData[upstream], ...patch });
}

export function setTraceStore(options: WiretraceSettings, store: TraceStoreKind): WiretraceSettings {
  return setJsonData(options, 'traceStore', store);
}

export function setLogStore(options: WiretraceSettings, store: LogStoreKind): WiretraceSettings {
  return setJsonData(options, 'logStore', store);
}

export function setSecret(options: WiretraceSettings, key: SecureKey, value: string): WiretraceSettings {
  return { ...options, secureJsonData: { ...options.secureJsonData, [key]: value } };
}

// Forgetting a stored secret: Grafana deletes it when the field is saved as "" and marked not configured.
export function resetSecret(options: WiretraceSettings, key: SecureKey): WiretraceSettings {
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, [key]: false },
    secureJsonData: { ...options.secureJsonData, [key]: '' },
  };
}

export function secretKeyFor(upstream: UpstreamName, auth: 'basic' | 'bearer'): SecureKey {
  return `${upstream}${auth === 'basic' ? 'Password' : 'Token'}` as SecureKey;
}

// Agent URLs are edited one per line; blanks and duplicates are dropped.
export function parseAgentUrls(text: string): string[] {
  return Array.from(
    new Set(
      text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    )
  );
}

export function parsePositiveInt(text: string): number | undefined {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
