// Which agents hold a pod's events: the pods each agent's node hosts (its /api/v1/pods page), kept a short while,
// so a query naming a pod or namespace asks only those agents.
import type { HostedPodsPage } from '../../model/hostedPods';

export interface PodRoute {
  namespace?: string;
  pod?: string;
}

interface Placement {
  // "namespace/pod", and the bare pod name.
  pods: Set<string>;
  namespaces: Set<string>;
  // The agent saw pods it could not place: it may hold any pod's events.
  anyPod: boolean;
  atMs: number;
}

export const PLACEMENT_TTL_MS = 30_000;

export class PodPlacement {
  private readonly byAgent = new Map<string, Placement>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = PLACEMENT_TTL_MS
  ) {}

  record(agentUrl: string, page: HostedPodsPage): void {
    const pods = new Set<string>();
    const namespaces = new Set<string>();
    for (const pod of Array.isArray(page.pods) ? page.pods : []) {
      if (typeof pod?.name !== 'string') {
        continue;
      }
      pods.add(pod.name);
      if (typeof pod.namespace === 'string') {
        pods.add(`${pod.namespace}/${pod.name}`);
        namespaces.add(pod.namespace);
      }
    }
    const anyPod = !(typeof page.podsWithoutNode === 'number' && page.podsWithoutNode === 0);
    this.byAgent.set(agentUrl, { pods, namespaces, anyPod, atMs: this.now() });
  }

  // An agent that cannot say (an older agent, a malformed page) is asked about every pod until the next refresh.
  recordUnknown(agentUrl: string): void {
    this.byAgent.set(agentUrl, { pods: new Set(), namespaces: new Set(), anyPod: true, atMs: this.now() });
  }

  // Agents whose placement is missing or older than the TTL.
  stale(agentUrls: readonly string[]): string[] {
    const oldest = this.now() - this.ttlMs;
    return agentUrls.filter((url) => (this.byAgent.get(url)?.atMs ?? -Infinity) < oldest);
  }

  // The agents to ask: those hosting the pod (or a pod of the namespace) and those that cannot say; every agent
  // when none claims it, since a pod that started after the last refresh is on some node nobody has named yet.
  route(agentUrls: readonly string[], route: PodRoute): string[] {
    if (!route.pod && !route.namespace) {
      return [...agentUrls];
    }
    const oldest = this.now() - this.ttlMs;
    const unknown: string[] = [];
    const hosting: string[] = [];
    for (const url of agentUrls) {
      const placement = this.byAgent.get(url);
      if (!placement || placement.atMs < oldest || placement.anyPod) {
        unknown.push(url);
      } else if (claims(placement, route)) {
        hosting.push(url);
      }
    }
    return hosting.length === 0 ? [...agentUrls] : [...hosting, ...unknown];
  }

  // Agents no longer discovered leave the map.
  retain(agentUrls: readonly string[]): void {
    const keep = new Set(agentUrls);
    for (const url of this.byAgent.keys()) {
      if (!keep.has(url)) {
        this.byAgent.delete(url);
      }
    }
  }

  clear(): void {
    this.byAgent.clear();
  }
}

function claims(placement: Placement, route: PodRoute): boolean {
  if (route.pod) {
    return placement.pods.has(route.namespace ? `${route.namespace}/${route.pod}` : route.pod);
  }
  return placement.namespaces.has(route.namespace!);
}
