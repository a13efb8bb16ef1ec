// Builds upstream clients from the datasource settings (URL, auth, tenant, timeout) and the instance's limiter;
// the DatasourceInstance (backend/instance/) builds each once per settings version.
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { DEFAULT_TIMEOUT_MS, UpstreamClient, type UpstreamCredentials } from './http';
import type { ConcurrencyLimiter } from './limiter';

export const DEFAULT_MAX_CONCURRENCY = 8;

export type ObservabilityUpstream = 'tempo' | 'jaeger' | 'loki' | 'victorialogs';

const DISPLAY: Record<ObservabilityUpstream, string> = {
  tempo: 'Tempo',
  jaeger: 'Jaeger',
  loki: 'Loki',
  victorialogs: 'VictoriaLogs',
};

export function isConfigured(settings: DatasourceSettings, which: ObservabilityUpstream): boolean {
  return Boolean(settings.jsonData[which]?.url);
}

// Tempo, Jaeger (HTTP), Loki or VictoriaLogs client; throws a 400 naming the missing setting when the upstream is not configured.
export function observabilityClient(
  settings: DatasourceSettings,
  which: ObservabilityUpstream,
  limiter: ConcurrencyLimiter
): UpstreamClient {
  const upstream = settings.jsonData[which];
  if (!upstream?.url) {
    throw new QueryError(400, `${DISPLAY[which]} is not configured (jsonData.${which}.url is empty)`, 'plugin');
  }
  return new UpstreamClient({
    name: DISPLAY[which],
    baseUrl: upstream.url,
    credentials: credentialsFor(settings, which),
    tenant: settings.jsonData.tenant,
    timeoutMs: settings.jsonData.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limiter,
  });
}

export function credentialsFor(settings: DatasourceSettings, which: ObservabilityUpstream): UpstreamCredentials {
  const upstream = settings.jsonData[which];
  const secure = settings.secure;
  if (upstream?.auth === 'basic') {
    return { kind: 'basic', user: upstream.basicAuthUser ?? '', password: secure[`${which}Password`] ?? '' };
  }
  if (upstream?.auth === 'bearer') {
    return { kind: 'bearer', token: secure[`${which}Token`] ?? '' };
  }
  return { kind: 'none' };
}
