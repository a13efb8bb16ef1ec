// The capture agent in `run` mode: capturing on the scenario's bridge, identity from the cluster file,
// its HTTP API on loopback (no token needed there).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { NetworkEvent } from '../../model/events.ts';
import { REPO_ROOT } from '../../scripts/stack/paths.mjs';

export const AGENT_BUNDLE = join(REPO_ROOT, 'build', 'agent', 'wiretrace-agent.cjs');

export interface AgentEventsResponse {
  node: string;
  events: NetworkEvent[];
  truncated: boolean;
}

export class AgentProcess {
  private child?: ChildProcess;
  private readonly workDir: string;
  private readonly port: number;
  readonly node: string;
  readonly url: string;

  constructor(workDir: string, node: string, port: number) {
    this.workDir = workDir;
    this.node = node;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(captureInterface: string, clusterFile: string): Promise<void> {
    const configFile = join(this.workDir, 'agent.yaml');
    writeFileSync(
      configFile,
      stringify({
        node: this.node,
        clusterFile,
        capture: { interfaces: [captureInterface], filter: 'tcp or udp' },
        api: { listen: `127.0.0.1:${this.port}` },
        // A short wait before an unanswered SYN counts as dropped keeps the test quick.
        tracker: { unansweredSynMs: 1500, idleTimeoutMs: 5000, flowUpdateIntervalMs: 1000 },
      })
    );
    const log = createWriteStream(join(this.workDir, 'agent.log'));
    const child = spawn(process.execPath, [AGENT_BUNDLE, 'run', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    const exited = new Promise<number>((resolvePromise) => child.once('exit', (code) => resolvePromise(code ?? 1)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
      if (code !== null) {
        throw new Error(
          `wiretrace-agent run exited with ${code} during start-up; see ${join(this.workDir, 'agent.log')}`
        );
      }
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
    }
    throw new Error(`wiretrace-agent did not answer ${this.url}/healthz within 30s`);
  }

  async events(query: Record<string, string>): Promise<AgentEventsResponse> {
    const response = await fetch(`${this.url}/api/v1/events?${new URLSearchParams(query)}`);
    if (!response.ok) {
      throw new Error(`agent /api/v1/events answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as AgentEventsResponse;
  }

  /** Polls until an event satisfies `wanted`; the tracker reports a drop only after the SYN went unanswered a while. */
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
    const child = this.child;
    if (!child || child.exitCode !== null) {
      return;
    }
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
  }
}
