// The capture agent's HTTP API as the agent serves it and the datasource reads it (docs/interfaces.md).
import type { NetworkEvent } from './events';
import type { TopologyEdge } from './topology';

export const AGENT_EVENTS_PATH = '/api/v1/events';
export const AGENT_TOPOLOGY_PATH = '/api/v1/topology';

// The query parameters of AGENT_EVENTS_PATH; any other is refused with a 400 naming it.
export const AGENT_EVENTS_PARAMS = ['kind', 'from', 'to', 'namespace', 'pod', 'traceId', 'limit'] as const;

export type AgentEventsParam = (typeof AGENT_EVENTS_PARAMS)[number];

// One agent's answer to AGENT_EVENTS_PATH: its events in time order, the newest kept when over the limit.
export interface AgentEventsPage {
  node: string;
  events: NetworkEvent[];
  truncated: boolean;
}

// One agent's answer to AGENT_TOPOLOGY_PATH.
export interface AgentTopologyPage {
  edges: TopologyEdge[];
}
