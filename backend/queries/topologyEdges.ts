// Service-to-service edges from the agents' /api/v1/topology (or, without agents, from flow events), merged by name.
import type { NetworkEvent } from '../../model/events';
import { nameEndpoint, type NamedEndpoint } from './serviceNames';

export interface AgentEdgeEnd {
  ip: string;
  namespace?: string;
  pod?: string;
  workload?: string;
  service?: string;
}

export interface AgentEdge {
  src: AgentEdgeEnd;
  dst: AgentEdgeEnd;
  flows: number;
  requests: number;
  errors: number;
  drops: number;
  retransmits: number;
  packets: number;
  rttP95Us: number | null;
}

export interface ServiceEdge {
  source: NamedEndpoint;
  target: NamedEndpoint;
  flows: number;
  requests: number;
  errors: number;
  drops: number;
  retransmits: number;
  packets: number;
  // The worst p95 any agent reported (p95s cannot be averaged).
  rttP95Us: number | null;
  // Requests and errors came from Tempo's CLIENT spans, not from captured HTTP.
  requestsFromTraces?: boolean;
}

export function isAgentEdge(value: unknown): value is AgentEdge {
  const e = value as AgentEdge | null;
  return !!e && typeof e.src?.ip === 'string' && typeof e.dst?.ip === 'string';
}

export function mergeEdges(edges: Iterable<AgentEdge>): ServiceEdge[] {
  const merged = new Map<string, ServiceEdge>();
  for (const e of edges) {
    const source = nameEndpoint(e.src);
    const target = nameEndpoint(e.dst);
    const key = `${source.id}\u0000${target.id}`;
    let edge = merged.get(key);
    if (!edge) {
      edge = { source, target, flows: 0, requests: 0, errors: 0, drops: 0, retransmits: 0, packets: 0, rttP95Us: null };
      merged.set(key, edge);
    }
    edge.flows += num(e.flows);
    edge.requests += num(e.requests);
    edge.errors += num(e.errors);
    edge.drops += num(e.drops);
    edge.retransmits += num(e.retransmits);
    edge.packets += num(e.packets);
    if (typeof e.rttP95Us === 'number') {
      edge.rttP95Us = Math.max(edge.rttP95Us ?? 0, e.rttP95Us);
    }
  }
  return [...merged.values()].sort(
    (a, b) => a.source.id.localeCompare(b.source.id) || a.target.id.localeCompare(b.target.id)
  );
}

// The same edge shape computed from raw events (durable history in Loki when no agent answers).
export function edgesFromEvents(events: readonly NetworkEvent[]): AgentEdge[] {
  const byPair = new Map<string, AgentEdge & { rtts: number[] }>();
  const end = (e: NetworkEvent['src']): AgentEdgeEnd => ({
    ip: e.ip,
    namespace: e.namespace,
    pod: e.pod,
    workload: e.workload?.name,
    service: e.service,
  });
  for (const e of events) {
    const key = `${e.src.ip}\u0000${e.dst.ip}\u0000${e.dst.port ?? ''}`;
    let edge = byPair.get(key);
    if (!edge) {
      edge = {
        src: end(e.src),
        dst: end(e.dst),
        flows: 0,
        requests: 0,
        errors: 0,
        drops: 0,
        retransmits: 0,
        packets: 0,
        rttP95Us: null,
        rtts: [],
      };
      byPair.set(key, edge);
    }
    if (e.kind === 'flow' || e.kind === 'reset') {
      edge.flows++;
      edge.retransmits += e.flow?.tcp?.retransmits ?? 0;
      edge.packets += (e.flow?.toServer.packets ?? 0) + (e.flow?.toClient.packets ?? 0);
      const rtt = e.flow?.tcp?.rttAvgUs ?? e.flow?.tcp?.handshakeRttUs;
      if (rtt !== undefined) {
        edge.rtts.push(rtt);
      }
    } else if (e.kind === 'drop') {
      edge.drops++;
    } else if (e.kind === 'http') {
      edge.requests++;
      if ((e.http?.status ?? 0) >= 500) {
        edge.errors++;
      }
    }
  }
  return [...byPair.values()].map(({ rtts, ...edge }) => ({ ...edge, rttP95Us: percentile(rtts, 0.95) }));
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
