// Turns Grafana's datasource instance settings (jsonData bytes + decrypted secrets) into validated
// DatasourceSettings; every problem names the field, no message ever contains a secret value.
import { QueryError, type DatasourceSettings } from '../datasource/types';
import {
  LOG_STORES,
  SECURE_KEYS,
  TRACE_STORES,
  type LogStoreKind,
  type TraceStoreKind,
  type UpstreamSettings,
  type WiretraceJsonData,
  type WiretraceSecureJsonData,
} from '../../model/settings';

export interface RawInstanceSettings {
  uid: string;
  name: string;
  url?: string;
  // The jsonData bytes exactly as Grafana sends them (empty when never saved).
  jsonData: Uint8Array | string;
  decryptedSecureJsonData: Record<string, string>;
  // When Grafana last saved these settings (a new version of the instance).
  lastUpdatedMs?: number;
}

export class SettingsError extends QueryError {
  constructor(readonly problems: string[]) {
    super(400, `invalid datasource settings: ${problems.join('; ')}`, 'plugin');
    this.name = 'SettingsError';
  }
}

const MAX_TIMEOUT_MS = 10 * 60_000;
const MAX_CONCURRENCY = 256;
const AUTH_MODES = ['none', 'basic', 'bearer'];

export function parseSettings(raw: RawInstanceSettings): DatasourceSettings {
  const problems: string[] = [];
  const json = parseJsonData(raw.jsonData, problems);
  const secure = pickSecure(raw.decryptedSecureJsonData);
  const jsonData: WiretraceJsonData = {};

  for (const which of ['tempo', 'jaeger', 'loki', 'victorialogs'] as const) {
    const upstream = parseUpstream(json[which], `jsonData.${which}`, problems);
    if (upstream) {
      jsonData[which] = upstream;
      checkCredentials(which, upstream, secure, problems);
    }
  }
  if (jsonData.jaeger && isObject(json.jaeger) && json.jaeger.grpcUrl !== undefined && json.jaeger.grpcUrl !== '') {
    jsonData.jaeger.grpcUrl = checkUrl(json.jaeger.grpcUrl, 'jsonData.jaeger.grpcUrl', problems);
  }
  jsonData.traceStore = parseTraceStore(json.traceStore, problems);
  jsonData.logStore = parseLogStore(json.logStore, problems);
  if (json.agentUrls !== undefined) {
    if (!Array.isArray(json.agentUrls)) {
      problems.push('jsonData.agentUrls must be a list of URLs');
    } else {
      jsonData.agentUrls = json.agentUrls
        .map((u, i) => checkUrl(u, `jsonData.agentUrls[${i}]`, problems))
        .filter((u): u is string => u !== undefined);
    }
  }
  jsonData.tenant = optionalString(json.tenant, 'jsonData.tenant', problems);
  jsonData.eventsStreamSelector = optionalString(json.eventsStreamSelector, 'jsonData.eventsStreamSelector', problems);
  jsonData.timeoutMs = optionalInt(json.timeoutMs, 'jsonData.timeoutMs', 1, MAX_TIMEOUT_MS, problems);
  jsonData.maxRows = optionalInt(json.maxRows, 'jsonData.maxRows', 1, Number.MAX_SAFE_INTEGER, problems);
  jsonData.maxConcurrency = optionalInt(json.maxConcurrency, 'jsonData.maxConcurrency', 1, MAX_CONCURRENCY, problems);
  jsonData.agentTimeoutMs = optionalInt(json.agentTimeoutMs, 'jsonData.agentTimeoutMs', 1, MAX_TIMEOUT_MS, problems);
  jsonData.agentConcurrency = optionalInt(
    json.agentConcurrency,
    'jsonData.agentConcurrency',
    1,
    MAX_CONCURRENCY,
    problems
  );

  if (problems.length > 0) {
    throw new SettingsError(problems);
  }
  return { uid: raw.uid, name: raw.name, url: raw.url || undefined, jsonData: dropUndefined(jsonData), secure };
}

function parseJsonData(bytes: Uint8Array | string, problems: string[]): Record<string, unknown> {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  if (text.trim() === '') {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) {
      return value;
    }
    problems.push('jsonData must be a JSON object');
  } catch (err) {
    problems.push(`jsonData is not valid JSON (${(err as Error).message})`);
  }
  return {};
}

function parseUpstream(value: unknown, path: string, problems: string[]): UpstreamSettings | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  const url = value.url === '' ? undefined : checkUrl(value.url, `${path}.url`, problems);
  let auth: UpstreamSettings['auth'];
  if (value.auth !== undefined && value.auth !== '') {
    if (typeof value.auth === 'string' && AUTH_MODES.includes(value.auth)) {
      auth = value.auth as UpstreamSettings['auth'];
    } else {
      problems.push(`${path}.auth must be one of ${AUTH_MODES.join(', ')}`);
    }
  }
  return dropUndefined({
    url,
    auth,
    basicAuthUser: optionalString(value.basicAuthUser, `${path}.basicAuthUser`, problems),
    datasourceUid: optionalString(value.datasourceUid, `${path}.datasourceUid`, problems) || undefined,
  });
}

function parseTraceStore(value: unknown, problems: string[]): TraceStoreKind | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'string' && (TRACE_STORES as readonly string[]).includes(value)) {
    return value as TraceStoreKind;
  }
  problems.push(`jsonData.traceStore must be one of ${TRACE_STORES.join(', ')}`);
  return undefined;
}

function parseLogStore(value: unknown, problems: string[]): LogStoreKind | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'string' && (LOG_STORES as readonly string[]).includes(value)) {
    return value as LogStoreKind;
  }
  problems.push(`jsonData.logStore must be one of ${LOG_STORES.join(', ')}`);
  return undefined;
}

function checkCredentials(
  which: 'tempo' | 'jaeger' | 'loki' | 'victorialogs',
  upstream: UpstreamSettings,
  secure: WiretraceSecureJsonData,
  problems: string[]
): void {
  if (!upstream.url) {
    return;
  }
  if (upstream.auth === 'basic') {
    if (!upstream.basicAuthUser) {
      problems.push(`jsonData.${which}.basicAuthUser is required for basic auth`);
    }
    if (!secure[`${which}Password`]) {
      problems.push(`secureJsonData.${which}Password is required for basic auth`);
    }
  } else if (upstream.auth === 'bearer' && !secure[`${which}Token`]) {
    problems.push(`secureJsonData.${which}Token is required for bearer auth`);
  }
}

function checkUrl(value: unknown, path: string, problems: string[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${path} must be a non-empty URL string`);
    return undefined;
  }
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`${path} must use http or https, got ${url.protocol}`);
      return undefined;
    }
    if (url.username || url.password) {
      // Credentials in a URL would end up in logs and error messages; they belong in secureJsonData.
      problems.push(`${path} must not contain credentials; use the secure settings`);
      return undefined;
    }
  } catch {
    problems.push(`${path} is not a valid URL`);
    return undefined;
  }
  return value.trim().replace(/\/+$/, '');
}

function optionalString(value: unknown, path: string, problems: string[]): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push(`${path} must be a string`);
    return undefined;
  }
  return value;
}

function optionalInt(value: unknown, path: string, min: number, max: number, problems: string[]): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    problems.push(`${path} must be an integer between ${min} and ${max}`);
    return undefined;
  }
  return n;
}

function pickSecure(decrypted: Record<string, string>): WiretraceSecureJsonData {
  const secure: WiretraceSecureJsonData = {};
  for (const key of SECURE_KEYS) {
    if (decrypted[key]) {
      secure[key] = decrypted[key];
    }
  }
  return secure;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
