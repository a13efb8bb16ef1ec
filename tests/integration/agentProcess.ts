// The capture agent in `run` mode inside the harness's node namespace, as a DaemonSet pod with host networking
// would run: live capture on the pod bridge, identity from the cluster file or from the real API server's informers
// (a kubeconfig), its API (and /metrics) on the node's loopback, reached from here through a port forward, and its
// Loki exporter pushing to VictoriaLogs through a relay when one is given.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { NetworkEvent } from '../../model/events';
import { NODE_JS, type MiniCluster } from '../netns/miniCluster';
import { HostPortRelay } from './hostPortRelay';
import { NamespacePortForward } from './namespacePortForward';
import { REPO_ROOT } from './stackEndpoints';

export const AGENT_BUNDLE = join(REPO_ROOT, 'build', 'agent', 'wiretrace-agent.cjs');
const AGENT_PORT = 9470;

export interface AgentEventsResponse {
  node: string;
  events: NetworkEvent[];
  truncated: boolean;
}

export interface AgentStartOptions {
  // Identity and policy from a cluster file, or from live informers on the API server this kubeconfig names.
  clusterFile?: string;
  kubeconfig?: string;
  // VictoriaLogs' port on this host's loopback; the agent pushes to it as to a Loki.
  victoriaLogsPort?: number;
  // The loopback port here that reaches the agent's API (Prometheus scrapes it); a free one when absent.
  forwardPort?: number;
}

export class AgentInNode {
  private child?: ChildProcess;
  private forward?: NamespacePortForward;
  private logsRelay?: HostPortRelay;
  private log = '';
  // The agent's API as seen from this namespace.
  url = '';

  constructor(private readonly cluster: MiniCluster) {}

  async start({ clusterFile, kubeconfig, victoriaLogsPort, forwardPort }: AgentStartOptions): Promise<void> {
    if (victoriaLogsPort !== undefined) {
      this.logsRelay = new HostPortRelay(this.cluster.nodeNs, victoriaLogsPort, NODE_JS);
      await this.logsRelay.start();
    }
    const configFile = join(this.cluster.workDir, 'agent.yaml');
    writeFileSync(
      configFile,
      stringify({
        node: this.cluster.nodeNs,
        clusterFile,
        capture: { interfaces: ['br0'], filter: 'ip' },
        api: { listen: `127.0.0.1:${AGENT_PORT}` },
        // A short wait before an unanswered SYN counts as dropped keeps the test quick.
        tracker: { unansweredSynMs: 1500 },
        export:
          victoriaLogsPort === undefined
            ? {}
            : {
                // VictoriaLogs takes Loki's push protocol under /insert; quick batches keep the test short.
                loki: {
                  url: `http://127.0.0.1:${victoriaLogsPort}/insert`,
                  // Every kind, so what VictoriaLogs holds can be compared with everything the agent API serves.
                  kinds: ['flow', 'drop', 'reset', 'dns', 'http', 'tls'],
                  batchWaitMs: 200,
                  timeoutMs: 2000,
                },
              },
      })
    );
    const child = this.cluster.spawnInNode(
      NODE_JS,
      [AGENT_BUNDLE, 'run', '--config', configFile],
      kubeconfig ? { WIRETRACE_KUBECONFIG: kubeconfig } : {}
    );
    child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (!this.log.includes('"capturing"')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `wiretrace-agent run did not start capturing (exit ${child.exitCode}): ${this.log.slice(-2000)}`
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.forward = new NamespacePortForward(this.cluster.nodeNs, AGENT_PORT, NODE_JS);
    this.url = await this.forward.listen(forwardPort);
  }

  get stderr(): string {
    return this.log;
  }

  /** The agent's /metrics text (Prometheus format). */
  async metrics(): Promise<string> {
    const response = await fetch(`${this.url}/metrics`);
    if (!response.ok) {
      throw new Error(`agent /metrics answered ${response.status}`);
    }
    return response.text();
  }

  async events(query: Record<string, string>): Promise<AgentEventsResponse> {
    const response = await fetch(`${this.url}/api/v1/events?${new URLSearchParams(query)}`);
    if (!response.ok) {
      throw new Error(`agent /api/v1/events answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as AgentEventsResponse;
  }

  /** Polls until an event satisfies `wanted`: the tracker reports a drop only once the SYN went unanswered a while. */
  async waitForEvent(
    query: Record<string, string>,
    wanted: (e: NetworkEvent) => boolean,
    timeoutMs = 30_000
  ): Promise<NetworkEvent> {
    const deadline = Date.now() + timeoutMs;
    let seen: NetworkEvent[] = [];
    while (Date.now() < deadline) {
      seen = (await this.events(query)).events;
      const found = seen.find(wanted);
      if (found) {
        return found;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
      `no matching agent event within ${timeoutMs / 1000}s; saw ${seen.length}: ${JSON.stringify(seen).slice(0, 1500)}`
    );
  }

  async stop(): Promise<void> {
    await this.forward?.close();
    this.child?.kill('SIGTERM');
    this.logsRelay?.stop();
  }
}
