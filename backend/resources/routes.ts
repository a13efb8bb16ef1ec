// CallResource routes for the query editors: names seen in the agents' recent events, as JSON.
import type { NetworkEvent } from '../../model/events';
import { AgentFleet, type AgentEventsPage } from '../clients/agent';
import type { ResourceRequest, ResourceResponse } from '../datasource/requests';
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { policiesOf } from '../queries/flows';

// Editors list what was seen in the last hour; the agents keep about that much in memory.
const LOOKBACK_MS = 60 * 60 * 1000;
const EVENTS_PER_AGENT = 5000;

export interface NamedItem {
  name: string;
  namespace?: string;
}

type Collector = (events: NetworkEvent[], namespace: string | undefined) => NamedItem[];

const ROUTES: Record<string, Collector> = {
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
        .flatMap((e) => policiesOf(e).map((name) => ({ name })))
    ),
};

export async function routeResource(
  settings: DatasourceSettings,
  request: ResourceRequest,
  signal: AbortSignal,
  now: () => number = Date.now
): Promise<ResourceResponse> {
  const url = new URL(request.url || request.path, 'http://resource.local/');
  const route = (request.path || url.pathname).replace(/^\/+|\/+$/g, '').split('?')[0];
  const collect = ROUTES[route];
  if (!collect) {
    return json(404, { error: `unknown resource ${JSON.stringify(route)}`, routes: Object.keys(ROUTES) });
  }
  if (request.method !== 'GET') {
    return json(405, { error: `resource ${route} answers GET only` });
  }
  const namespace = url.searchParams.get('namespace') || undefined;
  const fleet = new AgentFleet(settings);
  if (fleet.size === 0) {
    return json(200, { [route]: [], warnings: ['no capture agents configured'] });
  }
  const to = now();
  const fan = await fleet.fanOut((client) =>
    client.getJson<AgentEventsPage>('/api/v1/events', {
      query: { from: `${to - LOOKBACK_MS}000000`, to: `${to}000000`, namespace, limit: EVENTS_PER_AGENT },
      signal,
    })
  );
  if (fan.answers.length === 0) {
    const detail = fan.failures.map((f) => `${f.agent}: ${f.message}`).join('; ');
    throw new QueryError(502, `all capture agents failed: ${detail}`, 'downstream');
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
