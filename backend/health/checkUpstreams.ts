// CheckHealth: probes every configured upstream on its own and reports each one (reachable, version, auth).
import type { HealthResult } from '../datasource/requests';
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { UpstreamClient } from '../clients/http';
import { agentClients, observabilityClient } from '../clients/upstreams';
import { jaegerQueryGrpc } from '../clients/jaeger/jaegerUpstream';
import type { JaegerQueryGrpc } from '../clients/jaeger/jaegerQueryGrpc';

export type UpstreamState = 'ok' | 'auth_rejected' | 'unreachable' | 'not_ready' | 'error';

export interface UpstreamHealth {
  name: string;
  url: string;
  state: UpstreamState;
  reachable: boolean;
  authAccepted: boolean | null;
  version?: string;
  message: string;
}

interface Probe {
  readyPath: string;
  buildInfoPath?: string;
}

const TEMPO: Probe = { readyPath: '/ready', buildInfoPath: '/api/status/buildinfo' };
const LOKI: Probe = { readyPath: '/ready', buildInfoPath: '/loki/api/v1/status/buildinfo' };
const AGENT: Probe = { readyPath: '/healthz' };
// VictoriaLogs' /health is open even behind an auth proxy; a one-line query of the last minute checks the API.
const VICTORIA_LOGS: Probe = { readyPath: '/select/logsql/query?query=_time%3A1m&limit=1' };
// Jaeger's query service has no readiness route; listing services proves it answers and accepts the credentials.
const JAEGER: Probe = { readyPath: '/api/v3/services' };

export async function checkUpstreams(settings: DatasourceSettings, signal: AbortSignal): Promise<HealthResult> {
  const probes: Array<Promise<UpstreamHealth>> = [];
  if (settings.jsonData.tempo?.url) {
    probes.push(probe(observabilityClient(settings, 'tempo'), TEMPO, signal));
  }
  if (settings.jsonData.jaeger?.url) {
    probes.push(probe(observabilityClient(settings, 'jaeger'), JAEGER, signal));
    probes.push(probeGrpc(jaegerQueryGrpc(settings), signal));
  } else if (settings.jsonData.traceStore === 'jaeger') {
    probes.push(Promise.resolve(unconfiguredStore()));
  }
  if (settings.jsonData.loki?.url) {
    probes.push(probe(observabilityClient(settings, 'loki'), LOKI, signal));
  }
  if (settings.jsonData.victorialogs?.url) {
    probes.push(probe(observabilityClient(settings, 'victorialogs'), VICTORIA_LOGS, signal));
  }
  for (const client of agentClients(settings)) {
    probes.push(probe(client, AGENT, signal));
  }
  if (probes.length === 0) {
    return {
      status: 'ERROR',
      message: 'No upstream configured: set the Tempo or Jaeger URL, the Loki or VictoriaLogs URL or at least one capture agent URL.',
      details: { upstreams: [] },
    };
  }
  const upstreams = await Promise.all(probes);
  const failed = upstreams.filter((u) => u.state !== 'ok');
  const lines = upstreams.map((u) => `${u.name}: ${u.message}`);
  return {
    status: failed.length === 0 ? 'OK' : 'ERROR',
    message:
      failed.length === 0
        ? `All ${upstreams.length} upstreams OK. ${lines.join('. ')}`
        : `${failed.length} of ${upstreams.length} upstreams failing. ${lines.join('. ')}`,
    // Grafana's Save & test shows details.message and, under it, verboseMessage: one marked line per upstream.
    details: { upstreams, message: 'Upstreams', verboseMessage: upstreams.map(describeUpstream).join('\n') },
  };
}

function describeUpstream(upstream: UpstreamHealth): string {
  return `${upstream.state === 'ok' ? '✓' : '✗'} ${upstream.name}: ${upstream.message}`;
}

async function probe(client: UpstreamClient, spec: Probe, signal: AbortSignal): Promise<UpstreamHealth> {
  const base = { name: client.name, url: client.baseUrl };
  try {
    await client.request(spec.readyPath, { signal });
  } catch (err) {
    return { ...base, ...classify(err, spec.readyPath) };
  }
  let version: string | undefined;
  if (spec.buildInfoPath) {
    try {
      const info = await client.getJson<{ version?: unknown }>(spec.buildInfoPath, { signal });
      version = typeof info.version === 'string' ? info.version : undefined;
    } catch (err) {
      // /ready may be open while the API needs auth: that is the check that tells us credentials work.
      return { ...base, ...classify(err, spec.buildInfoPath) };
    }
  }
  return {
    ...base,
    state: 'ok',
    reachable: true,
    authAccepted: true,
    version,
    message: version ? `OK (version ${version})` : 'OK',
  };
}

// Search runs over gRPC, so its port is checked on its own.
async function probeGrpc(client: JaegerQueryGrpc, signal: AbortSignal): Promise<UpstreamHealth> {
  const base = { name: client.name, url: client.url };
  try {
    const services = await client.services(signal);
    return {
      ...base,
      state: 'ok',
      reachable: true,
      authAccepted: true,
      message: `OK (${services.length} services)`,
    };
  } catch (err) {
    return { ...base, ...classify(err, 'GetServices') };
  }
}

function unconfiguredStore(): UpstreamHealth {
  return {
    name: 'Jaeger',
    url: '',
    state: 'error',
    reachable: false,
    authAccepted: null,
    message: 'Jaeger is the trace store but jsonData.jaeger.url is empty',
  };
}

function classify(err: unknown, path: string): Omit<UpstreamHealth, 'name' | 'url'> {
  const status = err instanceof QueryError ? err.status : 0;
  const detail = err instanceof Error ? err.message : String(err);
  if (status === 401 || status === 403) {
    return {
      state: 'auth_rejected',
      reachable: true,
      authAccepted: false,
      message: `auth rejected (HTTP ${status} on ${path})`,
    };
  }
  if (status === 502 && /unreachable/.test(detail)) {
    return { state: 'unreachable', reachable: false, authAccepted: null, message: detail };
  }
  if (status === 504 || status === 499) {
    return { state: 'unreachable', reachable: false, authAccepted: null, message: detail };
  }
  if (path.endsWith('ready') || path.endsWith('healthz')) {
    return { state: 'not_ready', reachable: true, authAccepted: null, message: `not ready: ${detail}` };
  }
  return { state: 'error', reachable: true, authAccepted: null, message: detail };
}
