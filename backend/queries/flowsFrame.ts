// The flows table: one row per network event (TCP flows with goodput, RTT jitter and health class), drop rows linked
// to their case and trace ids to the trace store.
// Shared by the flows query and traceNetwork's network events.
import { ENDPOINT_COLUMN, FRAME } from '../../model/frameNames';
import { formatDropId } from '../../model/dropId';
import type { NetworkEvent } from '../../model/events';
import type { QueryContext } from '../datasource/types';
import type { Field, FieldConfig, Frame } from '../frames/frame';
import { dropLinkConfig, traceStoreLink } from './links';

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

function rttJitterMsOf(e: NetworkEvent): number | null {
  const us = e.flow?.tcp?.rttJitterUs;
  return us === undefined ? null : us / 1000;
}

function bytesOf(e: NetworkEvent): number | null {
  return e.flow ? e.flow.toServer.bytes + e.flow.toClient.bytes : null;
}

function traceLinkConfig(ctx: QueryContext): FieldConfig | undefined {
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
    name: FRAME.flows,
    refId: ctx.refId,
    meta: {
      preferredVisualisationType: 'table',
      custom: { agents: ctx.instance.settings.jsonData.agentUrls?.length ?? 0 },
    },
    fields: [
      { ...column('time', 'time', (e) => usToNs(e.time)), nullable: false },
      column('endTime', 'time', (e) => (e.endTime === undefined ? null : usToNs(e.endTime))),
      { ...column('kind', 'string', (e) => e.kind), nullable: false },
      column(ENDPOINT_COLUMN.srcNamespace, 'string', (e) => e.src.namespace),
      column(ENDPOINT_COLUMN.srcPod, 'string', (e) => e.src.pod),
      { ...column(ENDPOINT_COLUMN.srcIp, 'string', (e) => e.src.ip), nullable: false },
      column('src_port', 'int64', (e) => e.src.port),
      column(ENDPOINT_COLUMN.dstNamespace, 'string', (e) => e.dst.namespace),
      column(ENDPOINT_COLUMN.dstPod, 'string', (e) => e.dst.pod),
      column(ENDPOINT_COLUMN.dstService, 'string', (e) => e.dst.service),
      { ...column(ENDPOINT_COLUMN.dstIp, 'string', (e) => e.dst.ip), nullable: false },
      column('dst_port', 'int64', (e) => e.dst.port),
      { ...column('transport', 'string', (e) => e.transport), nullable: false },
      column('state', 'string', stateOf),
      column('bytes', 'int64', bytesOf, { unit: 'decbytes' }),
      column('retransmits', 'int64', (e) => e.flow?.tcp?.retransmits),
      column('rtt', 'number', rttMsOf, { unit: 'ms', decimals: 2 }),
      // TCP flows only: payload that arrived once, the RTT samples' standard deviation, and the retransmission rate
      // with its class (0–1 % healthy, 1–5 % degraded, 5 %+ severe).
      column('goodput', 'int64', (e) => e.flow?.tcp?.goodputBytes, { unit: 'decbytes' }),
      column('rtt_jitter', 'number', rttJitterMsOf, { unit: 'ms', decimals: 2 }),
      column('retransmit_rate', 'number', (e) => e.flow?.tcp?.retransmitRate, { unit: 'percentunit' }),
      column('tcp_health', 'string', (e) => e.flow?.tcp?.health),
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
