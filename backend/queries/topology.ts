// topology: node graph of who talks to whom, with request and error rates, drops, p95 RTT, retransmissions, goodput,
// RTT jitter and the TCP health class of each edge.
import { ENDPOINT_COLUMN, FRAME } from '../../model/frameNames';
import { AGENT_TOPOLOGY_PATH } from '../../model/agentApi';
import { retransmitRate, tcpHealthClass } from '../../model/tcpHealthClass';
import { missingAgentsNotice } from '../clients/agentNotices';
import { isConfigured } from '../clients/upstreams';
import { QueryError, type QueryContext, type QueryHandler } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { dropsLinkConfig, flowsLinkConfig, namespaceTopologyLinkConfig, serviceFlowsLinkConfig } from './links';
import { loadNetworkEvents } from './networkEvents';
import { column } from './tableColumn';
import { mergeTracedPairs, tracedPairs } from './topologyTraces';
import { edgesFromEvents, isAgentEdge, mergeEdges, type AgentEdge, type ServiceEdge } from './topologyEdges';
import { attempt, nothingAnswered } from './upstreamAttempt';

const EVENT_LIMIT = 50_000;

export type Health = 'green' | 'orange' | 'red';

export const topologyQuery: QueryHandler = async (ctx) => {
  const seconds = Math.max(1, (ctx.timeRange.toMs - ctx.timeRange.fromMs) / 1000);
  const [network, traced] = await Promise.all([loadEdges(ctx), tracedPairs(ctx)]);
  const edges = mergeTracedPairs(mergeEdges(network), traced, seconds).filter((e) => matchesFilters(e, ctx));
  return [nodesFrame(ctx, edges, seconds), edgesFrame(ctx, edges, seconds)];
};

async function loadEdges(ctx: QueryContext): Promise<AgentEdge[]> {
  const fleet = ctx.instance.agents;
  const failures: string[] = [];
  if (fleet.size > 0) {
    const fan = await fleet.fanOut(
      async (client, signal) => {
        // Read as unknown: an agent's answer is checked edge by edge.
        const body = await client.getJson<{ edges?: unknown }>(AGENT_TOPOLOGY_PATH, {
          query: { from: `${Math.floor(ctx.timeRange.fromMs)}000000`, to: `${Math.ceil(ctx.timeRange.toMs)}000000` },
          signal,
        });
        if (!Array.isArray(body?.edges)) {
          throw new QueryError(
            502,
            `${client.name} answered ${AGENT_TOPOLOGY_PATH} without an edges list`,
            'downstream'
          );
        }
        return body.edges.filter(isAgentEdge);
      },
      { signal: ctx.signal }
    );
    const missing = fan.answers.length > 0 ? missingAgentsNotice(fan.failures, fan.asked, false) : undefined;
    if (missing) {
      ctx.notices.push(missing);
    }
    for (const f of fan.failures) {
      failures.push(`${f.agent}: ${f.message}`);
    }
    if (fan.answers.length > 0) {
      return fan.answers.flatMap((a) => a.value);
    }
  }
  if (isConfigured(ctx.instance.settings, 'loki')) {
    const events = await attempt(ctx, 'Loki (durable events)', () =>
      loadNetworkEvents(ctx, {
        kinds: ['flow', 'reset', 'drop', 'http'],
        range: ctx.timeRange,
        namespace: ctx.query.namespace,
        limit: EVENT_LIMIT,
      })
    );
    if (events.ok) {
      return edgesFromEvents(events.value.events);
    }
    failures.push(events.message);
  }
  if (failures.length === 0) {
    throw new QueryError(
      400,
      'topology needs capture agents (jsonData.agentUrls) or Loki (jsonData.loki.url)',
      'plugin'
    );
  }
  throw nothingAnswered('no topology could be read', failures);
}

function matchesFilters(e: ServiceEdge, ctx: QueryContext): boolean {
  const { namespace, service, pod } = ctx.query;
  const either = (pick: (n: ServiceEdge['source']) => string | undefined, value: string) =>
    pick(e.source) === value || pick(e.target) === value;
  return (
    (!namespace || either((n) => n.namespace, namespace)) &&
    (!service || either((n) => n.title, service)) &&
    (!pod || either((n) => n.pod, pod))
  );
}

export function edgeHealth(e: ServiceEdge): Health {
  const errorRate = e.requests > 0 ? e.errors / e.requests : 0;
  const retransmitRate = e.packets > 0 ? e.retransmits / e.packets : 0;
  if (e.drops > 0 || errorRate > 0.05) {
    return 'red';
  }
  return errorRate > 0.01 || retransmitRate > 0.01 ? 'orange' : 'green';
}

function tcpHealthOf(e: ServiceEdge): string | null {
  const rate = retransmitRate(e.retransmits, e.packets);
  return rate === undefined ? null : tcpHealthClass(rate);
}

function nodesFrame(ctx: QueryContext, edges: ServiceEdge[], seconds: number): Frame {
  interface NodeRow {
    id: string;
    title: string;
    namespace?: string;
    pod?: string;
    inRequests: number;
    inErrors: number;
    drops: number;
    health: Health;
  }
  const nodes = new Map<string, NodeRow>();
  const rank: Record<Health, number> = { green: 0, orange: 1, red: 2 };
  for (const e of edges) {
    for (const end of [e.source, e.target]) {
      if (!nodes.has(end.id)) {
        nodes.set(end.id, { ...end, inRequests: 0, inErrors: 0, drops: 0, health: 'green' });
      }
    }
    const target = nodes.get(e.target.id)!;
    target.inRequests += e.requests;
    target.inErrors += e.errors;
    target.drops += e.drops;
    const health = edgeHealth(e);
    if (rank[health] > rank[target.health]) {
      target.health = health;
    }
  }
  const rows = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  const ok = (r: NodeRow) => (r.inRequests > 0 ? (r.inRequests - r.inErrors) / r.inRequests : r.drops > 0 ? 0 : 1);
  const bad = (r: NodeRow) => 1 - ok(r);
  return {
    name: FRAME.topologyNodes,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      column(rows, 'id', 'string', (r) => r.id),
      column(rows, 'title', 'string', (r) => r.title),
      column(rows, 'subtitle', 'string', (r) => r.namespace ?? ''),
      column(rows, 'mainstat', 'number', (r) => r.inRequests / seconds, { displayName: 'Requests', unit: 'reqps' }),
      column(rows, 'secondarystat', 'number', (r) => (r.inRequests > 0 ? r.inErrors / r.inRequests : 0), {
        displayName: 'Error rate',
        unit: 'percentunit',
      }),
      column(rows, 'arc__ok', 'number', ok, { color: { mode: 'fixed', fixedColor: 'green' }, displayName: 'OK' }),
      column(rows, 'arc__failed', 'number', bad, {
        color: { mode: 'fixed', fixedColor: 'red' },
        displayName: 'Errors and drops',
      }),
      column(rows, 'detail__drops', 'int64', (r) => r.drops, {
        displayName: 'Drops',
        ...dropsLinkConfig('Show drops', 'detail__namespace', 'detail__pod'),
      }),
      column(rows, 'detail__namespace', 'string', (r) => r.namespace, namespaceTopologyLinkConfig('detail__namespace')),
      column(rows, 'detail__pod', 'string', (r) => r.pod, flowsLinkConfig('detail__namespace', 'detail__pod')),
      column(rows, 'color', 'string', (r) => r.health),
      column(
        rows,
        'detail__service',
        'string',
        (r) => r.title,
        serviceFlowsLinkConfig('detail__namespace', 'detail__service')
      ),
    ],
  };
}

function edgesFrame(ctx: QueryContext, edges: ServiceEdge[], seconds: number): Frame {
  return {
    name: FRAME.topologyEdges,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'nodeGraph' },
    fields: [
      column(edges, 'id', 'string', (e) => `${e.source.id}->${e.target.id}`),
      column(edges, ENDPOINT_COLUMN.source, 'string', (e) => e.source.id),
      column(edges, 'target', 'string', (e) => e.target.id),
      column(edges, 'mainstat', 'number', (e) => e.requests / seconds, { displayName: 'Requests', unit: 'reqps' }),
      column(edges, 'secondarystat', 'number', (e) => (e.requests > 0 ? e.errors / e.requests : 0), {
        displayName: 'Error rate',
        unit: 'percentunit',
      }),
      // One link per edge, on one field: its drops, from the source pod toward the target.
      column(edges, 'detail__drops', 'int64', (e) => e.drops, {
        displayName: 'Drops',
        ...dropsLinkConfig('Drops on this edge', 'detail__source_namespace', 'detail__source_pod', 'detail__target'),
      }),
      column(edges, 'detail__source_namespace', 'string', (e) => e.source.namespace ?? ''),
      column(edges, 'detail__source_pod', 'string', (e) => e.source.pod ?? ''),
      column(edges, 'detail__target', 'string', (e) => e.target.pod ?? e.target.title),
      column(edges, 'detail__p95_rtt', 'number', (e) => (e.rttP95Us === null ? null : e.rttP95Us / 1000), {
        displayName: 'p95 RTT',
        unit: 'ms',
      }),
      column(edges, 'detail__retransmit_rate', 'number', (e) => (e.packets > 0 ? e.retransmits / e.packets : 0), {
        displayName: 'Retransmitted packets',
        unit: 'percentunit',
      }),
      // The seed's classes of the retransmission rate (0–1 % healthy, 1–5 % degraded, 5 %+ severe).
      column(edges, 'detail__tcp_health', 'string', tcpHealthOf, { displayName: 'TCP health' }),
      column(edges, 'detail__goodput', 'int64', (e) => e.goodputBytes, { displayName: 'Goodput', unit: 'decbytes' }),
      column(
        edges,
        'detail__goodput_ratio',
        'number',
        (e) => (e.payloadBytes > 0 ? e.goodputBytes / e.payloadBytes : null),
        {
          displayName: 'Goodput of payload sent',
          unit: 'percentunit',
        }
      ),
      column(edges, 'detail__rtt_jitter', 'number', (e) => (e.rttSpread ? e.rttSpread.jitterUs / 1000 : null), {
        displayName: 'RTT jitter',
        unit: 'ms',
        decimals: 2,
      }),
      column(edges, 'detail__flows', 'int64', (e) => e.flows, { displayName: 'Connections' }),
      column(edges, 'detail__requests_source', 'string', (e) =>
        e.requestsFromTraces ? 'Tempo spans' : 'captured traffic'
      ),
      column(edges, 'color', 'string', edgeHealth),
      column(edges, 'thickness', 'number', (e) => 1 + Math.min(4, Math.log10(1 + e.requests + e.flows))),
    ],
  };
}
