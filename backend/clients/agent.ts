// Fans a request out to every capture agent (bearer agentToken), merges their answers, and keeps going when
// some agents fail: the failures are returned so the caller can name them in a frame notice. Who the agents are,
// which of them a query asks and how long it waits are the instance's AgentRoster and agentFanOut's business.
import { AGENT_EVENTS_PATH, type AgentEventsPage } from '../../model/agentApi';
import type { NetworkEvent } from '../../model/events';
import { QueryError, type DatasourceSettings } from '../datasource/types';
import { fanOutToAgents, type AgentCall, type AgentFailure, type AgentFanOut, type FanOutOptions } from './agentFanOut';
import { AgentRoster } from './agentRoster';

export type { AgentFailure, AgentFanOut } from './agentFanOut';

export interface AgentEventsQuery {
  fromMs: number;
  toMs: number;
  kinds?: string[];
  namespace?: string;
  pod?: string;
  traceId?: string;
  limit?: number;
}

export interface MergedAgentEvents {
  events: NetworkEvent[];
  truncated: boolean;
  failures: AgentFailure[];
  // Agents discovered, and how many this query asked.
  agents: number;
  asked: number;
}

export class AgentFleet {
  // Who the agents are and which nodes they run on; held by the datasource instance, so it outlives one query.
  readonly roster: AgentRoster;

  constructor(
    private readonly settings: DatasourceSettings,
    roster?: AgentRoster
  ) {
    this.roster = roster ?? new AgentRoster(settings);
  }

  dispose(): void {
    this.roster.dispose();
  }

  // Configured agent URLs (a Service counts once, whatever it expands to).
  get size(): number {
    return this.settings.jsonData.agentUrls?.length ?? 0;
  }

  // Every agent answers or fails on its own; nothing here throws for a single agent.
  fanOut<T>(call: AgentCall<T>, options: FanOutOptions = {}): Promise<AgentFanOut<T>> {
    return fanOutToAgents(this.roster, this.settings, call, options);
  }

  async events(query: AgentEventsQuery, signal: AbortSignal): Promise<MergedAgentEvents> {
    if (this.size === 0) {
      throw new QueryError(400, 'no capture agents configured (jsonData.agentUrls is empty)', 'plugin');
    }
    const params = {
      kind: query.kinds?.length ? query.kinds.join(',') : undefined,
      from: `${Math.floor(query.fromMs)}000000`,
      to: `${Math.ceil(query.toMs)}000000`,
      namespace: query.namespace,
      pod: query.pod,
      traceId: query.traceId,
      limit: query.limit,
    };
    const route = { namespace: query.namespace, pod: query.pod };
    const fan = await this.fanOut(
      async (client, bounded) => {
        const page = await client.getJson<AgentEventsPage>(AGENT_EVENTS_PATH, { query: params, signal: bounded });
        if (!page || !Array.isArray(page.events)) {
          throw new QueryError(
            502,
            `${client.name} answered ${AGENT_EVENTS_PATH} without an events list`,
            'downstream'
          );
        }
        this.roster.rememberNode(client.baseUrl, page.node);
        return page;
      },
      { signal, route }
    );
    if (fan.answers.length === 0) {
      throw allAgentsFailed(fan.failures);
    }
    const events = mergeAgentEvents(fan.answers.map((a) => a.value.events));
    const limited = query.limit !== undefined && events.length > query.limit;
    return {
      events: limited ? events.slice(0, query.limit) : events,
      truncated: limited || fan.answers.some((a) => a.value.truncated),
      failures: fan.failures,
      agents: fan.discovered,
      asked: fan.asked,
    };
  }
}

export function allAgentsFailed(failures: AgentFailure[]): QueryError {
  const detail = failures.map((f) => `${f.agent}: ${f.message}`).join('; ');
  // One shared cause (all timed out, all refused the token) keeps its status; mixed causes are a bad gateway.
  const statuses = new Set(failures.map((f) => f.status));
  const [only] = statuses;
  const status = statuses.size === 1 && [401, 403, 504].includes(only) ? only : 502;
  if (status === 401 || status === 403) {
    return new QueryError(
      status,
      `capture agents rejected the agent token (secureJsonData.agentToken is missing or wrong): ${detail}`,
      'downstream'
    );
  }
  return new QueryError(status, `all ${failures.length} capture agents failed: ${detail}`, 'downstream');
}

// Two agents see the same flow when both ends are on their nodes; keep one copy, ordered by time.
export function mergeAgentEvents(pages: NetworkEvent[][]): NetworkEvent[] {
  if (pages.length === 1) {
    // One agent holds each event once; its page usually arrives in time order already.
    const [page] = pages;
    return isInTimeOrder(page) ? page : [...page].sort((a, b) => a.time - b.time);
  }
  const seen = new Set<string>();
  const merged: NetworkEvent[] = [];
  for (const page of pages) {
    for (const event of page) {
      const key = eventIdentity(event);
      if (!seen.has(key)) {
        seen.add(key);
        merged.push(event);
      }
    }
  }
  return merged.sort((a, b) => a.time - b.time);
}

function isInTimeOrder(events: readonly NetworkEvent[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (events[i].time < events[i - 1].time) {
      return false;
    }
  }
  return true;
}

function eventIdentity(e: NetworkEvent): string {
  const dnsId = e.dns ? `#${e.dns.id}` : '';
  return `${e.kind}|${e.time}|${e.transport}|${e.src.ip}:${e.src.port ?? ''}|${e.dst.ip}:${e.dst.port ?? ''}${dnsId}`;
}
