// Folds network events into service-graph edges (the agent API's /api/v1/topology shape): one per (source,
// destination) pair, with counts, a p95 RTT, goodput, RTT jitter and a TCP health class. The agent serves it; the
// backend uses it on durable history.
import type { Endpoint, NetworkEvent, TcpHealthClass } from './events';
import { exchangeFailed } from './exchangeOutcome';
import { poolRttSpreads, rttSpreadOf, type RttSpread } from './rttSpread';
import { retransmitRate, tcpHealthClass } from './tcpHealthClass';

export interface EdgeEnd {
  ip: string;
  namespace?: string;
  pod?: string;
  workload?: string;
  service?: string;
}

export interface TopologyEdge {
  src: EdgeEnd;
  dst: EdgeEnd;
  flows: number;
  requests: number;
  errors: number;
  drops: number;
  retransmits: number;
  packets: number;
  rttP95Us: number | null;
  // Payload bytes the edge's connections sent (resends included) and what of it arrived once, over the connections
  // that reported both (optional: agents before goodput do not send them).
  payloadBytes?: number;
  goodputBytes?: number;
  // Every RTT sample of the edge's connections: count, mean and standard deviation (the jitter).
  rttSpread?: RttSpread | null;
  // The retransmission rate's class (0–1 % healthy, 1–5 % degraded, 5 %+ severe); null without packets.
  health?: TcpHealthClass | null;
}

interface EdgeAccumulator extends Omit<TopologyEdge, 'rttP95Us' | 'rttSpread' | 'health'> {
  rtts: number[];
  spreads: RttSpread[];
  payloadBytes: number;
  goodputBytes: number;
}

function edgeEnd(e: Endpoint): EdgeEnd {
  return {
    ip: e.ip,
    ...(e.namespace ? { namespace: e.namespace } : {}),
    ...(e.pod ? { pod: e.pod } : {}),
    ...(e.workload ? { workload: e.workload.name } : {}),
    ...(e.service ? { service: e.service } : {}),
  };
}

// Pods are grouped by pod name when known, otherwise by IP.
function endKey(e: Endpoint): string {
  return e.pod ? `${e.namespace ?? ''}/${e.pod}` : e.ip;
}

export function buildTopology(events: readonly NetworkEvent[]): TopologyEdge[] {
  const edges = new Map<string, EdgeAccumulator>();
  for (const e of events) {
    const key = `${endKey(e.src)}>${endKey(e.dst)}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = {
        src: edgeEnd(e.src),
        dst: edgeEnd(e.dst),
        flows: 0,
        requests: 0,
        errors: 0,
        drops: 0,
        retransmits: 0,
        packets: 0,
        rtts: [],
        spreads: [],
        payloadBytes: 0,
        goodputBytes: 0,
      };
      edges.set(key, edge);
    }
    switch (e.kind) {
      case 'flow':
        // Periodic updates of a live connection are cumulative; only final reports count.
        if (e.flow && e.flow.state !== 'active') {
          edge.flows++;
          edge.packets += e.flow.toServer.packets + e.flow.toClient.packets;
          edge.retransmits += e.flow.tcp?.retransmits ?? 0;
          const tcp = e.flow.tcp;
          if (tcp?.handshakeRttUs !== undefined) {
            edge.rtts.push(tcp.handshakeRttUs);
          }
          if (tcp?.payloadBytes !== undefined && tcp.goodputBytes !== undefined) {
            edge.payloadBytes += tcp.payloadBytes;
            edge.goodputBytes += tcp.goodputBytes;
          }
          const spread = rttSpreadOf(tcp);
          if (spread) {
            edge.spreads.push(spread);
          }
        }
        break;
      case 'http':
        edge.requests++;
        if (exchangeFailed(e.http)) {
          edge.errors++;
        }
        break;
      case 'dns':
        edge.requests++;
        if (!e.dns?.answered || (e.dns.rcode && e.dns.rcode !== 'NOERROR')) {
          edge.errors++;
        }
        break;
      case 'drop':
        edge.drops++;
        break;
      case 'reset':
        edge.errors++;
        break;
      default:
        break;
    }
  }
  return [...edges.values()].map(({ rtts, spreads, ...edge }) => {
    const rate = retransmitRate(edge.retransmits, edge.packets);
    return {
      ...edge,
      rttP95Us: percentile(rtts, 0.95),
      rttSpread: poolRttSpreads(spreads) ?? null,
      health: rate === undefined ? null : tcpHealthClass(rate),
    };
  });
}

function percentile(values: number[], q: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
