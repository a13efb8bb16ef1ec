// flows: the agents' recent network events as one table, newest last, trace ids linked to Tempo.
import { formatDropId } from '../../model/dropId';
import { dropPolicyNames } from '../../model/dropPolicies';
import type { NetworkEvent } from '../../model/events';
import { AgentFleet } from '../clients/agent';
import { missingAgentsNotice } from '../clients/agentNotices';
import type { QueryContext, QueryHandler } from '../datasource/types';
import type { Field, FieldConfig, Frame } from '../frames/frame';
import { dropLinkConfig, traceStoreLink } from './links';

export const DEFAULT_FLOWS_LIMIT = 1000;

export const flowsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const fleet = new AgentFleet(ctx.settings);
  const limit = query.limit ?? DEFAULT_FLOWS_LIMIT;
  const result = await fleet.events(
    {
      fromMs: ctx.timeRange.fromMs,
      toMs: ctx.timeRange.toMs,
      kinds: query.kinds,
      namespace: query.namespace,
      pod: query.pod,
      traceId: query.traceId,
      limit,
    },
    ctx.signal
  );
  const missing = missingAgentsNotice(result.failures, result.asked, false);
  if (missing) {
    ctx.notices.push(missing);
  }
  for (const failure of result.failures) {
    ctx.logger.warn('agent failed, answering with partial results', { agent: failure.agent, error: failure.message });
  }
  if (result.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${result.events.length} events; raise the limit to see more.`,
    });
  }
  const events = result.events.filter(eventFilter(ctx));
  const frame = flowsFrame(events, ctx);
  frame.meta = { ...frame.meta, custom: { agents: result.agents, askedAgents: result.asked } };
  return [frame];
};

// Filters the agent API has no parameter for.
function eventFilter(ctx: QueryContext): (e: NetworkEvent) => boolean {
  const { service, policy, search } = ctx.query;
  const needle = search?.toLowerCase();
  return (e) => {
    if (service && e.src.service !== service && e.dst.service !== service) {
      return false;
    }
    if (policy && !dropPolicyNames(e).includes(policy)) {
      return false;
    }
    return !needle || searchText(e).includes(needle);
  };
}

function searchText(e: NetworkEvent): string {
  const parts = [e.kind, e.src.pod, e.src.namespace, e.src.ip, e.dst.pod, e.dst.namespace, e.dst.ip, e.dst.service];
  parts.push(e.drop?.reason, e.dns?.query, e.http?.path, e.http?.host, e.traceId);
  return parts.filter(Boolean).join(' ').toLowerCase();
}

function stateOf(e: NetworkEvent): string | null {
  if (e.flow) {
    return e.flow.state;
  }
  if (e.drop) {
    return e.drop.verdict;
  }
  if (e.dns) {
    return e.dns.rcode ?? (e.dns.answered ? 'answered' : 'unanswered');
  }
  if (e.http?.status !== undefined) {
    return String(e.http.status);
  }
  return null;
}

function reasonOf(e: NetworkEvent): string | null {
  return e.drop?.reason ?? (e.flow?.tcp?.resetBy ? `reset by ${e.flow.tcp.resetBy}` : null);
}

function rttMsOf(e: NetworkEvent): number | null {
  const tcp = e.flow?.tcp;
  const us = tcp?.rttAvgUs ?? tcp?.handshakeRttUs ?? e.http?.latencyUs ?? e.dns?.latencyUs;
  return us === undefined ? null : us / 1000;
}

function bytesOf(e: NetworkEvent): number | null {
  return e.flow ? e.flow.toServer.bytes + e.flow.toClient.bytes : null;
}

export function traceLinkConfig(ctx: QueryContext): FieldConfig | undefined {
  const links = traceStoreLink(ctx);
  return links.length > 0 ? { links } : undefined;
}

export function flowsFrame(events: NetworkEvent[], ctx: QueryContext): Frame {
  const column = (
    name: string,
    type: Field['type'],
    pick: (e: NetworkEvent) => unknown,
    config?: FieldConfig
  ): Field => ({
    name,
    type,
    values: events.map((e) => pick(e) ?? null),
    config,
  });
  // Event times are integer microseconds; bigint nanoseconds keep them exact (a float of ms would not).
  const usToNs = (us: number) => BigInt(Math.round(us)) * 1000n;
  return {
    name: 'flows',
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table', custom: { agents: ctx.settings.jsonData.agentUrls?.length ?? 0 } },
    fields: [
      { ...column('time', 'time', (e) => usToNs(e.time)), nullable: false },
      column('endTime', 'time', (e) => (e.endTime === undefined ? null : usToNs(e.endTime))),
      { ...column('kind', 'string', (e) => e.kind), nullable: false },
      column('src_namespace', 'string', (e) => e.src.namespace),
      column('src_pod', 'string', (e) => e.src.pod),
      { ...column('src_ip', 'string', (e) => e.src.ip), nullable: false },
      column('src_port', 'int64', (e) => e.src.port),
      column('dst_namespace', 'string', (e) => e.dst.namespace),
      column('dst_pod', 'string', (e) => e.dst.pod),
      column('dst_service', 'string', (e) => e.dst.service),
      { ...column('dst_ip', 'string', (e) => e.dst.ip), nullable: false },
      column('dst_port', 'int64', (e) => e.dst.port),
      { ...column('transport', 'string', (e) => e.transport), nullable: false },
      column('state', 'string', stateOf),
      column('bytes', 'int64', bytesOf, { unit: 'decbytes' }),
      column('retransmits', 'int64', (e) => e.flow?.tcp?.retransmits),
      column('rtt', 'number', rttMsOf, { unit: 'ms', decimals: 2 }),
      column('reason', 'string', reasonOf),
      // Drop rows link to their case; other rows leave it empty.
      column('drop_id', 'string', (e) => (e.kind === 'drop' ? formatDropId(e) : null), {
        displayNameFromDS: 'Drop',
        ...dropLinkConfig(),
      }),
      column('trace_id', 'string', (e) => e.traceId, traceLinkConfig(ctx)),
      column('node', 'string', (e) => e.node),
    ].map((f) => ({ ...f, nullable: f.nullable ?? true })),
  };
}
