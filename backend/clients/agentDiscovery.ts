// Expands each configured agent URL to one agent per address its host resolves to (a headless Service names every
// agent pod), re-resolved after a short TTL; a failed re-resolution keeps the last answer.
import { isIP } from 'node:net';
import type { HostResolver } from './agentAddresses';

export interface AgentEndpoint {
  // What the backend sends requests to: the configured URL with an address in place of the name.
  url: string;
  // The URL as configured (the Service), for messages.
  configuredUrl: string;
}

export interface DiscoveryProblem {
  configuredUrl: string;
  message: string;
}

export interface DiscoveredAgents {
  agents: AgentEndpoint[];
  problems: DiscoveryProblem[];
}

export interface DiscoveryOptions {
  resolve: HostResolver;
  now?: () => number;
  // Upper bound on reusing an answer, whatever its records' TTL.
  maxTtlMs?: number;
}

export const DEFAULT_DISCOVERY_TTL_MS = 10_000;
const MIN_TTL_MS = 1000;
// A name that failed is asked again this soon, so a DNS hiccup costs one query, not a TTL.
const RETRY_AFTER_FAILURE_MS = 2000;

interface Resolution {
  agents: AgentEndpoint[];
  problem?: DiscoveryProblem;
  expiresAt: number;
}

export class AgentDiscovery {
  private readonly resolutions = new Map<string, Resolution>();
  private inflight: Promise<DiscoveredAgents> | undefined;
  private readonly now: () => number;
  private readonly maxTtlMs: number;

  constructor(
    private readonly configuredUrls: readonly string[],
    private readonly options: DiscoveryOptions
  ) {
    this.now = options.now ?? Date.now;
    this.maxTtlMs = options.maxTtlMs ?? DEFAULT_DISCOVERY_TTL_MS;
  }

  // Concurrent queries share one resolution round.
  agents(): Promise<DiscoveredAgents> {
    const now = this.now();
    const fresh = this.configuredUrls.every((u) => (this.resolutions.get(u)?.expiresAt ?? 0) > now);
    if (fresh) {
      return Promise.resolve(this.snapshot());
    }
    this.inflight ??= this.refresh().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async refresh(): Promise<DiscoveredAgents> {
    const now = this.now();
    await Promise.all(
      this.configuredUrls
        .filter((u) => (this.resolutions.get(u)?.expiresAt ?? 0) <= now)
        .map(async (u) => this.resolutions.set(u, await this.resolveUrl(u, this.resolutions.get(u))))
    );
    return this.snapshot();
  }

  private snapshot(): DiscoveredAgents {
    const seen = new Set<string>();
    const agents: AgentEndpoint[] = [];
    const problems: DiscoveryProblem[] = [];
    for (const configured of this.configuredUrls) {
      const resolution = this.resolutions.get(configured);
      for (const agent of resolution?.agents ?? []) {
        // Two configured names for one pod must not ask it twice.
        if (!seen.has(agent.url)) {
          seen.add(agent.url);
          agents.push(agent);
        }
      }
      if (resolution?.problem) {
        problems.push(resolution.problem);
      }
    }
    return { agents, problems };
  }

  private async resolveUrl(configuredUrl: string, previous: Resolution | undefined): Promise<Resolution> {
    const now = this.now();
    let url: URL;
    try {
      url = new URL(configuredUrl);
    } catch {
      const problem = { configuredUrl, message: `agent URL is not a valid URL: ${JSON.stringify(configuredUrl)}` };
      return { agents: [], problem, expiresAt: Number.POSITIVE_INFINITY };
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An address names one agent; TLS needs the name it was issued for, so an https URL is one agent (a proxy).
    if (isIP(host) || url.protocol !== 'http:') {
      return { agents: [{ url: configuredUrl, configuredUrl }], expiresAt: Number.POSITIVE_INFINITY };
    }
    try {
      const resolved = await this.options.resolve(host);
      const ttl = Math.min(this.maxTtlMs, Math.max(MIN_TTL_MS, resolved.ttlMs ?? this.maxTtlMs));
      if (resolved.addresses.length === 0) {
        const problem = { configuredUrl, message: `${host} resolves to no address (no agent is ready)` };
        return { agents: [], problem, expiresAt: now + Math.min(ttl, RETRY_AFTER_FAILURE_MS) };
      }
      return {
        agents: resolved.addresses.map((address) => ({ url: withAddress(url, address), configuredUrl })),
        expiresAt: now + ttl,
      };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const message = `${host} does not resolve${typeof code === 'string' ? ` (${code})` : ''}`;
      // The agents found last time are still the best guess; their own failures will say if they are gone.
      const agents = previous?.agents ?? [];
      const problem = agents.length > 0 ? undefined : { configuredUrl, message };
      return { agents, problem, expiresAt: now + RETRY_AFTER_FAILURE_MS };
    }
  }
}

function withAddress(url: URL, address: string): string {
  const copy = new URL(url.toString());
  copy.hostname = isIP(address) === 6 ? `[${address}]` : address;
  return copy.toString().replace(/\/+$/, '');
}
