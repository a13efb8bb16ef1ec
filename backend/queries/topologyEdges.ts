// Service-to-service edges from the agents' /api/v1/topology (or, without agents, from flow events), merged by name.
import type { NetworkEvent } from '../../model/events';
import { poolRttSpreads, type RttSpread } from '../../model/rttSpread';
import { buildTopology, type TopologyEdge as AgentEdge } from '../../model/topology';
import { nameEndpoint, type NamedEndpoint } from './serviceNames';

// The agents' edge shape, shared with the agent API.
export type { AgentEdge };

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
  // Summed over agents (0 from agents that do not report goodput); the RTT spread pooled over every sample.
  payloadBytes: number;
  goodputBytes: number;
  rttSpread: RttSpread | null;
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
      edge = {
        source,
        target,
        flows: 0,
        requests: 0,
        errors: 0,
        drops: 0,
        retransmits: 0,
        packets: 0,
        rttP95Us: null,
        payloadBytes: 0,
        goodputBytes: 0,
        rttSpread: null,
      };
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
    edge.payloadBytes += num(e.payloadBytes);
    edge.goodputBytes += num(e.goodputBytes);
    // An agent's spread is read as unknown JSON: pooling leaves out anything not a finite, non-negative spread.
    edge.rttSpread = poolRttSpreads([edge.rttSpread, e.rttSpread]) ?? null;
  }
  return [...merged.values()].sort(
    (a, b) => a.source.id.localeCompare(b.source.id) || a.target.id.localeCompare(b.target.id)
  );
}

// The same edge shape computed from raw events (durable history in Loki when no agent answers), as the agents fold it.
export function edgesFromEvents(events: readonly NetworkEvent[]): AgentEdge[] {
  return buildTopology(events);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
