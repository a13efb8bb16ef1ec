// A network namespace with only its loopback up: the agent's `run` capturing `lo` with clients and servers beside it,
// none of it reaching any other network. Everything started here is stopped, and the namespace deleted, by destroy().
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { NODE_JS } from '../netns/miniCluster';
import { runIn, sh, shQuiet, spawnIn, waitFor } from '../netns/shell';
import { AGENT } from './agentProcess';

export class LoopbackNamespace {
  readonly workDir = mkdtempSync(join(tmpdir(), 'wt-lo-'));
  private readonly processes: ChildProcess[] = [];
  private seq = 0;

  private constructor(readonly ns: string) {}

  static create(label: string): LoopbackNamespace {
    const ns = `wt-${label}-${process.pid}`;
    shQuiet('ip', ['netns', 'del', ns]);
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    return new LoopbackNamespace(ns);
  }

  spawn(command: string, args: string[]): ChildProcess & { output: () => string } {
    const child = spawnIn(this.ns, command, args);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-1_000_000)));
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-1_000_000)));
    this.processes.push(child);
    return Object.assign(child, { output: () => output });
  }

  // Starts a process and resolves once its output says it is ready (or rejects with that output when it exits).
  async start(command: string, args: string[], ready: RegExp, what: string): Promise<ReturnType<typeof this.spawn>> {
    const child = this.spawn(command, args);
    await waitFor(() => ready.test(child.output()) || child.exitCode !== null, 30_000, what);
    if (child.exitCode !== null) {
      throw new Error(`${what}: exited ${child.exitCode}: ${child.output()}`);
    }
    return child;
  }

  // `wiretrace-agent run` on lo, with the API on 127.0.0.1:apiPort; resolves once it captures.
  async startAgent(apiPort: number, config: string[]): Promise<ReturnType<typeof this.spawn>> {
    const file = join(this.workDir, `agent-${++this.seq}.yaml`);
    writeFileSync(file, [`node: ${this.ns}`, `api: { listen: "127.0.0.1:${apiPort}" }`, ...config].join('\n'));
    return this.start(NODE_JS, [AGENT, 'run', '--config', file], /"capturing"/, 'the agent to start capturing');
  }

  run(command: string, args: string[], timeoutMs = 120_000): Promise<string> {
    return runIn(this.ns, command, args, timeoutMs);
  }

  // GET on the namespace's loopback, from inside it.
  async get(url: string): Promise<{ status: number; body: string }> {
    const script = `const r = await fetch(${JSON.stringify(url)}); process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() }));`;
    return JSON.parse(await this.run(NODE_JS, ['--input-type=module', '-e', script])) as {
      status: number;
      body: string;
    };
  }

  async destroy(keepFiles = false): Promise<void> {
    for (const p of this.processes) {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill('SIGTERM');
      }
    }
    await Promise.all(
      this.processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) {
              resolve();
              return;
            }
            const killer = setTimeout(() => p.kill('SIGKILL'), 10_000);
            p.once('exit', () => {
              clearTimeout(killer);
              resolve();
            });
          })
      )
    );
    shQuiet('ip', ['netns', 'del', this.ns]);
    if (!keepFiles) {
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }
}
