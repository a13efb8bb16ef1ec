// Save & test for the capture agents: every agent each configured URL expands to (a headless Service names one
// per node), whether it answered /healthz, and the node it reports.
import { AgentFleet } from '../clients/agent';
import { AgentRoster } from '../clients/agentRoster';
import type { UpstreamClient } from '../clients/http';
import type { DatasourceSettings } from '../datasource/types';
import type { UpstreamHealth } from './checkUpstreams';

export interface AgentHealth {
  url: string;
  configuredUrl: string;
  node?: string;
  answered: boolean;
  message: string;
}

export interface AgentsHealth {
  // One entry per configured URL, in the shape of the other upstreams.
  upstreams: UpstreamHealth[];
  agents: AgentHealth[];
}

// Beyond this many, a configured URL's line counts the agents instead of naming each.
const NAMED_PER_URL = 10;

export async function checkAgents(
  settings: DatasourceSettings,
  signal: AbortSignal,
  roster: AgentRoster = new AgentRoster(settings)
): Promise<AgentsHealth> {
  const fan = await new AgentFleet(settings, roster).fanOut(
    async (client: UpstreamClient, bounded) => {
      const body = await client.getJson<{ node?: unknown; status?: unknown }>('/healthz', { signal: bounded });
      roster.rememberNode(client.baseUrl, body?.node);
      return body;
    },
    { signal }
  );
  const found = await roster.discovery.agents();
  const answered = new Set(fan.answers.map((a) => a.agent));
  const failed = new Map(fan.failures.map((f) => [f.agent, f.message]));
  const agents: AgentHealth[] = found.agents.map((a) => {
    const node = roster.nodeOf(a.url);
    return {
      url: a.url,
      configuredUrl: a.configuredUrl,
      ...(node ? { node } : {}),
      answered: answered.has(a.url),
      message: answered.has(a.url) ? 'OK' : (failed.get(a.url) ?? 'not asked'),
    };
  });
  const upstreams = (settings.jsonData.agentUrls ?? []).map((configuredUrl) =>
    urlHealth(
      configuredUrl,
      agents.filter((a) => a.configuredUrl === configuredUrl),
      found.problems.find((p) => p.configuredUrl === configuredUrl)?.message
    )
  );
  return { upstreams, agents };
}

function urlHealth(configuredUrl: string, agents: AgentHealth[], problem: string | undefined): UpstreamHealth {
  const base = { url: configuredUrl, authAccepted: null };
  if (agents.length === 0) {
    const message = problem ?? 'no agent found';
    return { ...base, name: `agent ${configuredUrl}`, state: 'unreachable', reachable: false, message };
  }
  const ok = agents.filter((a) => a.answered);
  const state = ok.length > 0 ? 'ok' : /rejected|401|403/.test(agents[0].message) ? 'auth_rejected' : 'unreachable';
  const common = { ...base, state, reachable: ok.length > 0, authAccepted: ok.length > 0 ? true : null } as const;
  // A URL that is one agent reads as before: "agent http://10.0.0.5:9470: OK".
  if (agents.length === 1 && agents[0].url === configuredUrl.replace(/\/+$/, '')) {
    const [agent] = agents;
    const message = agent.answered ? (agent.node ? `OK (node ${agent.node})` : 'OK') : agent.message;
    return { ...common, name: `agent ${configuredUrl}`, message };
  }
  const silent = agents.filter((a) => !a.answered);
  const nodes = ok.map((a) => a.node ?? a.url);
  const named = nodes.length <= NAMED_PER_URL ? `: ${nodes.join(', ')}` : '';
  const missing = silent.length
    ? `; not answering: ${silent
        .slice(0, NAMED_PER_URL)
        .map((a) => `${a.node ?? a.url} (${a.message})`)
        .join(', ')}${silent.length > NAMED_PER_URL ? ` and ${silent.length - NAMED_PER_URL} more` : ''}`
    : '';
  return {
    ...common,
    name: `agents at ${configuredUrl}`,
    message: `${agents.length} agents found, ${ok.length} answered${named}${missing}`,
  };
}
