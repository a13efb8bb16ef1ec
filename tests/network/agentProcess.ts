// Runs the built agent the way users do: `wiretrace-agent analyze` on a capture, `run` inside the node namespace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { NODE_JS } from '../netns/miniCluster';

export const AGENT = resolve(__dirname, '../../build/agent/wiretrace-agent.cjs');

export function agentBuilt(): boolean {
  return existsSync(AGENT);
}

export interface AnalyzeResult {
  code: number;
  events: NetworkEvent[];
  stderr: string;
}

// Rejects, naming what analyze printed, when it has not finished within timeoutMs (a test must never hang on it).
export function analyze(args: string[], timeoutMs = 120_000): Promise<AnalyzeResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE_JS, [AGENT, 'analyze', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new Error(`analyze ${args.join(' ')} did not finish in ${timeoutMs} ms: ${err.slice(-2000)}`));
        return;
      }
      const events = out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as NetworkEvent);
      resolvePromise({ code: code ?? 1, events, stderr: err });
    });
  });
}
