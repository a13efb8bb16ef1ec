// CheckHealth: probes every configured upstream on its own and reports each one (reachable, version, auth).
import type { HealthResult } from '../datasource/requests';
import { QueryError } from '../datasource/types';
import type { DatasourceInstance } from '../instance/datasourceInstance';
import { UpstreamClient } from '../clients/http';
import { checkAgents, type AgentHealth } from './checkAgents';
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
// VictoriaLogs' /health is open even behind an auth proxy; a one-line query of the last minute checks the API.
const VICTORIA_LOGS: Probe = { readyPath: '/select/logsql/query?query=_time%3A1m&limit=1' };
// Jaeger's query service has no readiness route; listing services proves it answers and accepts the credentials.
const JAEGER: Probe = { readyPath: '/api/v3/services' };

export async function checkUpstreams(instance: DatasourceInstance, signal: AbortSignal): Promise<HealthResult> {
  const settings = instance.settings;
  const probes: Array<Promise<UpstreamHealth>> = [];
  if (settings.jsonData.tempo?.url) {
    probes.push(probe(instance.upstream('tempo'), TEMPO, signal));
  }
  if (settings.jsonData.jaeger?.url) {
    probes.push(probe(instance.upstream('jaeger'), JAEGER, signal));
    probes.push(probeGrpc(jaegerQueryGrpc(settings, instance.limiter), signal));
  } else if (settings.jsonData.traceStore === 'jaeger') {
    probes.push(Promise.resolve(unconfiguredStore()));
  }
  if (settings.jsonData.loki?.url) {
    probes.push(probe(instance.upstream('loki'), LOKI, signal));
  }
  if (settings.jsonData.victorialogs?.url) {
    probes.push(probe(instance.upstream('victorialogs'), VICTORIA_LOGS, signal));
  }
  const agentCheck = settings.jsonData.agentUrls?.length ? checkAgents(settings, signal, instance.agents.roster) : undefined;
  if (probes.length === 0 && !agentCheck) {
    return {
      status: 'ERROR',
      message:
        'No upstream configured: set the Tempo or Jaeger URL, the Loki or VictoriaLogs URL or at least one capture agent URL.',
      details: { upstreams: [] },
    };
  }
  const [others, agentsHealth] = await Promise.all([Promise.all(probes), agentCheck]);
  const upstreams = [...others, ...(agentsHealth?.upstreams ?? [])];
  const failed = upstreams.filter((u) => u.state !== 'ok');
  const lines = upstreams.map((u) => `${u.name}: ${u.message}`);
  return {
    status: failed.length === 0 ? 'OK' : 'ERROR',
    message:
      failed.length === 0
        ? `All ${upstreams.length} upstreams OK. ${lines.join('. ')}`
        : `${failed.length} of ${upstreams.length} upstreams failing. ${lines.join('. ')}`,
    // Grafana's Save & test shows details.message and, under it, verboseMessage: one marked line per upstream.
    details: {
      upstreams,
      // Every agent found behind the agent URLs, whether it answered and its node.
      ...(agentsHealth ? { agents: agentsHealth.agents } : {}),
      message: 'Upstreams',
      verboseMessage: [
        ...upstreams.map(describeUpstream),
        ...(agentsHealth?.agents ?? []).filter(behindName).map(describeAgent),
      ].join('\n'),
    },
  };
}

// An agent the configured URL names by address already has its line as an upstream.
function behindName(agent: AgentHealth): boolean {
  return agent.url !== agent.configuredUrl.replace(/\/+$/, '');
}

function describeAgent(agent: AgentHealth): string {
  const who = agent.node ? `node ${agent.node} (${agent.url})` : agent.url;
  return `  ${agent.answered ? '✓' : '✗'} agent ${who}: ${agent.message}`;
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
