// One datasource instance's view of its agents: who they are (discovery), where their pods live (placement), the
// node each one reports, and the bound on requests in flight to them. It lives as long as the instance's settings.
import type { DatasourceSettings } from '../datasource/types';
import { systemHostResolver, type HostResolver } from './agentAddresses';
import { AgentDiscovery } from './agentDiscovery';
import { ConcurrencyLimiter } from './limiter';
import { PodPlacement } from './podPlacement';

export const DEFAULT_AGENT_CONCURRENCY = 32;
export const DEFAULT_AGENT_TIMEOUT_MS = 10_000;
// An agent that let a request run to the timeout is not asked again for this long: it is named in each notice
// instead, so one slow node cannot hold every query (and the shared request slots) to the timeout.
export const AGENT_REST_MS = 15_000;

export interface AgentRosterOptions {
  resolve?: HostResolver;
  now?: () => number;
}

export class AgentRoster {
  readonly discovery: AgentDiscovery;
  readonly placement: PodPlacement;
  // Shared by every query of the instance: a dashboard of many panels still has at most this many agent requests.
  readonly limiter: ConcurrencyLimiter;
  private readonly nodes = new Map<string, string>();
  // Agent URL → when it may be asked again.
  private readonly resting = new Map<string, number>();
  private readonly now: () => number;

  constructor(settings: DatasourceSettings, options: AgentRosterOptions = {}) {
    this.discovery = new AgentDiscovery(settings.jsonData.agentUrls ?? [], {
      resolve: options.resolve ?? systemHostResolver(),
      now: options.now,
    });
    this.now = options.now ?? Date.now;
    this.placement = new PodPlacement(options.now);
    this.limiter = new ConcurrencyLimiter(settings.jsonData.agentConcurrency ?? DEFAULT_AGENT_CONCURRENCY);
  }

  // The node an agent said it runs on, kept across re-resolutions (an address keeps its pod until it is gone).
  nodeOf(agentUrl: string): string | undefined {
    return this.nodes.get(agentUrl);
  }

  rememberNode(agentUrl: string, node: unknown): void {
    if (typeof node === 'string' && node) {
      this.nodes.set(agentUrl, node);
    }
  }

  rest(agentUrl: string): void {
    this.resting.set(agentUrl, this.now() + AGENT_REST_MS);
  }

  // Milliseconds until a resting agent is asked again; undefined when it may be asked now.
  restingFor(agentUrl: string): number | undefined {
    const left = (this.resting.get(agentUrl) ?? 0) - this.now();
    if (left > 0) {
      return left;
    }
    this.resting.delete(agentUrl);
    return undefined;
  }

  // Forgets agents that left the Service.
  retain(agentUrls: readonly string[]): void {
    const keep = new Set(agentUrls);
    for (const url of this.nodes.keys()) {
      if (!keep.has(url)) {
        this.nodes.delete(url);
      }
    }
    for (const url of this.resting.keys()) {
      if (!keep.has(url)) {
        this.resting.delete(url);
      }
    }
    this.placement.retain(agentUrls);
  }

  dispose(): void {
    this.nodes.clear();
    this.resting.clear();
    this.placement.clear();
  }
}

export function agentTimeoutMs(settings: DatasourceSettings): number {
  return (
    settings.jsonData.agentTimeoutMs ?? Math.min(settings.jsonData.timeoutMs ?? Infinity, DEFAULT_AGENT_TIMEOUT_MS)
  );
}
