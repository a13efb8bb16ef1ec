// CallResource routes for the query editors: names seen in the agents' recent events, as JSON.
import { AGENT_EVENTS_PATH, type AgentEventsPage } from '../../model/agentApi';
import { dropPolicyNames } from '../../model/dropPolicies';
import type { NetworkEvent } from '../../model/events';
import { AgentFleet, allAgentsFailed } from '../clients/agent';
import { quoteInput } from '../datasource/quoteInput';
import type { ResourceRequest, ResourceResponse } from '../datasource/requests';
import { QueryError, type DatasourceSettings } from '../datasource/types';

// Editors list what was seen in the last hour; the agents keep about that much in memory.
const LOOKBACK_MS = 60 * 60 * 1000;
const EVENTS_PER_AGENT = 5000;
// The routes are GETs of short paths; anything bigger is a mistake or an attack, refused before any work.
export const MAX_RESOURCE_PATH_CHARS = 2048;
export const MAX_RESOURCE_BODY_BYTES = 64 * 1024;

export interface NamedItem {
  name: string;
  namespace?: string;
}

type Collector = (events: NetworkEvent[], namespace: string | undefined) => NamedItem[];

// A Map, not an object: a path such as "constructor" or "__proto__" must not find Object.prototype's members.
const ROUTES = new Map<string, Collector>(
  Object.entries({
    namespaces: (events) =>
      unique(events.flatMap((e) => [e.src, e.dst]).map((end) => end.namespace && { name: end.namespace })),
    pods: (events, ns) =>
      unique(
        events
          .flatMap((e) => [e.src, e.dst])
          .filter((end) => !ns || end.namespace === ns)
          .map((end) => end.pod && { name: end.pod, namespace: end.namespace })
      ),
    services: (events, ns) =>
      unique(
        events
          .flatMap((e) => [e.src, e.dst])
          .filter((end) => !ns || end.namespace === ns)
          .map((end) => end.service && { name: end.service, namespace: end.namespace })
      ),
    policies: (events, ns) =>
      unique(
        events
          .filter((e) => e.kind === 'drop' && (!ns || e.src.namespace === ns || e.dst.namespace === ns))
          .flatMap((e) => dropPolicyNames(e).map((name) => ({ name })))
      ),
  } satisfies Record<string, Collector>)
);

export const RESOURCE_ROUTES: readonly string[] = [...ROUTES.keys()];

// The route a request names, for routing and for metric labels (unknown routes are labelled "unknown").
export function resourceRoute(request: Pick<ResourceRequest, 'path' | 'url'>): string {
  const target = request.path || request.url || '';
  return target.split('?')[0].replace(/^\/+|\/+$/g, '');
}

export async function routeResource(
  settings: DatasourceSettings,
  request: ResourceRequest,
  signal: AbortSignal,
  // The instance's agents in production; a fresh set for a bare call.
  fleet: AgentFleet = new AgentFleet(settings),
  now: () => number = Date.now
): Promise<ResourceResponse> {
  // The path has no query string; the URL has it (a namespace filter of any size would reach every agent).
  const longest = Math.max(request.path.length, request.url.length);
  if (longest > MAX_RESOURCE_PATH_CHARS) {
    return json(414, { error: `resource URL is ${longest} characters; at most ${MAX_RESOURCE_PATH_CHARS}` });
  }
  if (request.body.byteLength > MAX_RESOURCE_BODY_BYTES) {
    return json(413, {
      error: `resource request body is ${request.body.byteLength} bytes; at most ${MAX_RESOURCE_BODY_BYTES}`,
    });
  }
  const route = resourceRoute(request);
  if (route === '') {
    return json(404, { error: 'no resource named in the path', routes: RESOURCE_ROUTES });
  }
  const collect = ROUTES.get(route);
  if (!collect) {
    return json(404, { error: `unknown resource ${quoteInput(route)}`, routes: RESOURCE_ROUTES });
  }
  if (request.method !== 'GET') {
    return json(405, { error: `resource ${route} answers GET only` });
  }
  // Parsed by hand: a URL such as "//" is not a valid URL to new URL(), yet its query string is plain.
  const queryString = (request.url || request.path).split('?').slice(1).join('?');
  const namespace = new URLSearchParams(queryString).get('namespace') || undefined;
  if (fleet.size === 0) {
    return json(200, { [route]: [], warnings: ['no capture agents configured'] });
  }
  const to = now();
  const fan = await fleet.fanOut(
    (client, bounded) =>
      client.getJson<AgentEventsPage>(AGENT_EVENTS_PATH, {
        query: { from: `${to - LOOKBACK_MS}000000`, to: `${to}000000`, namespace, limit: EVENTS_PER_AGENT },
        signal: bounded,
      }),
    { signal, route: { namespace } }
  );
  if (fan.answers.length === 0) {
    const err = allAgentsFailed(fan.failures);
    // A 401 from a resource call would tell Grafana's frontend the user's own session expired.
    throw err.status === 401 ? new QueryError(403, err.message, err.source) : err;
  }
  const events = fan.answers.flatMap((a) => (Array.isArray(a.value.events) ? a.value.events : []));
  const warnings = fan.failures.map((f) => `agent ${f.agent} failed: ${f.message}`);
  return json(200, { [route]: collect(events, namespace), warnings });
}

export function json(status: number, body: unknown): ResourceResponse {
  return {
    status,
    headers: { 'Content-Type': ['application/json'] },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function unique(items: Array<NamedItem | undefined | '' | null>): NamedItem[] {
  const byKey = new Map<string, NamedItem>();
  for (const item of items) {
    if (item) {
      byKey.set(`${item.namespace ?? ''}/${item.name}`, item);
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || (a.namespace ?? '').localeCompare(b.namespace ?? '')
  );
}
