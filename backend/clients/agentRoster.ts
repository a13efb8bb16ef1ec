// One datasource instance's view of its agents: who they are (discovery), where their pods live (placement), the
// node each one reports, and the bound on requests in flight to them. It lives as long as the instance's settings.
import type { DatasourceSettings } from '../datasource/types';
import { systemHostResolver, type HostResolver } from './agentAddresses';
import { AgentDiscovery } from './agentDiscovery';
import { ConcurrencyLimiter } from './limiter';
import { PodPlacement } from './podPlacement';

export const DEFAULT_AGENT_CONCURRENCY = 32;
export const DEFAULT_AGENT_TIMEOUT_MS = 10_000;

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

  constructor(settings: DatasourceSettings, options: AgentRosterOptions = {}) {
    this.discovery = new AgentDiscovery(settings.jsonData.agentUrls ?? [], {
      resolve: options.resolve ?? systemHostResolver(),
      now: options.now,
    });
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

  // Forgets agents that left the Service.
  retain(agentUrls: readonly string[]): void {
    const keep = new Set(agentUrls);
    for (const url of this.nodes.keys()) {
      if (!keep.has(url)) {
        this.nodes.delete(url);
      }
    }
    this.placement.retain(agentUrls);
  }

  dispose(): void {
    this.nodes.clear();
    this.placement.clear();
  }
}

export function agentTimeoutMs(settings: DatasourceSettings): number {
  return (
    settings.jsonData.agentTimeoutMs ?? Math.min(settings.jsonData.timeoutMs ?? Infinity, DEFAULT_AGENT_TIMEOUT_MS)
  );
}
