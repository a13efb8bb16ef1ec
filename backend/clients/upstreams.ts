// Builds the upstream clients a query needs from the datasource settings (URL, auth, tenant, limits).
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { DEFAULT_TIMEOUT_MS, UpstreamClient, type UpstreamCredentials } from './http';
import { ConcurrencyLimiter } from './limiter';

export const DEFAULT_MAX_CONCURRENCY = 8;

// One limiter per datasource instance, shared by all its queries.
const limiters = new Map<string, ConcurrencyLimiter>();

export function limiterFor(settings: DatasourceSettings): ConcurrencyLimiter {
  const limit = settings.jsonData.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const key = `${settings.uid}/${limit}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new ConcurrencyLimiter(limit);
    limiters.set(key, limiter);
  }
  return limiter;
}

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
export function observabilityClient(settings: DatasourceSettings, which: ObservabilityUpstream): UpstreamClient {
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
    limiter: limiterFor(settings),
  });
}

export function agentClients(settings: DatasourceSettings): UpstreamClient[] {
  const token = settings.secure.agentToken;
  return (settings.jsonData.agentUrls ?? []).map(
    (url) =>
      new UpstreamClient({
        name: `agent ${url}`,
        baseUrl: url,
        credentials: token ? { kind: 'bearer', token } : { kind: 'none' },
        timeoutMs: settings.jsonData.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        limiter: limiterFor(settings),
      })
  );
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
