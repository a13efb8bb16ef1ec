// The backend executable queried as Grafana does, through the Go SDK host programs of tests/conformance (pluginquery
// for decoded frames, querybench for latency and memory), started by a launcher (a resolver of the test's own).
import { execFile, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { buildGoCommand } from '../../bench/lib/goTools';
import { PLUGIN_EXECUTABLE, type DatasourceSettings, type QueryResponse } from '../integration/backendQuery';

export type Launcher = (command: string, args: string[]) => [string, string[]];

export interface QueryBenchResult {
  singleMs: number[];
  concurrentMs: number[];
  concurrency: number;
  rows: Record<string, number>;
  peakRssMb: number;
  rssAfterMb: number;
}

export interface TimeRangeMs {
  fromMs: number;
  toMs: number;
}

export class SdkHost {
  private readonly pluginquery = buildGoCommand('pluginquery');
  private readonly querybench = buildGoCommand('querybench');

  constructor(private readonly launch: Launcher) {}

  async query(
    settings: DatasourceSettings,
    queries: Array<Record<string, unknown>>,
    range: TimeRangeMs
  ): Promise<Record<string, QueryResponse>> {
    const args = ['-plugin', PLUGIN_EXECUTABLE, '-settings', JSON.stringify(settings), '-timeout', '90s'];
    args.push('-from', String(Math.floor(range.fromMs)), '-to', String(Math.ceil(range.toMs)));
    for (const q of queries) {
      args.push('-query', JSON.stringify(q));
    }
    return JSON.parse(await this.run(this.pluginquery, args, 100_000)) as Record<string, QueryResponse>;
  }

  // The queries sent `rounds` times to one backend process, which keeps what it learnt (placement, resting agents)
  // between rounds; `afterRound` runs after each round but the last, before the next is sent. The last round's answer.
  queryInRounds(
    settings: DatasourceSettings,
    queries: Array<Record<string, unknown>>,
    range: TimeRangeMs,
    rounds: number,
    afterRound: (round: number) => Promise<void>
  ): Promise<Record<string, QueryResponse>> {
    const args = ['-plugin', PLUGIN_EXECUTABLE, '-settings', JSON.stringify(settings), '-timeout', '90s'];
    args.push('-from', String(Math.floor(range.fromMs)), '-to', String(Math.ceil(range.toMs)));
    args.push('-rounds', String(rounds), '-step-fd', '3', ...queries.flatMap((q) => ['-query', JSON.stringify(q)]));
    const [cmd, full] = this.launch(this.pluginquery, args);
    // Rounds are stepped on fd 3: the plugin shares stdin with the host.
    const child = spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const step = child.stdio[3] as Writable;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      for (const match of d.toString().matchAll(/^round (\d+) answered$/gm)) {
        const round = Number(match[1]);
        if (round < rounds) {
          void afterRound(round).then(() => step.write('\n'));
        }
      }
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        step.destroy();
        if (code === 0) {
          resolve(JSON.parse(out) as Record<string, QueryResponse>);
        } else {
          reject(new Error(`pluginquery exited ${code ?? signal}: ${err.trim().slice(-4000)}`));
        }
      });
    });
  }

  // The drops query (`query` is its JSON) timed over `runs` single queries and `rounds` of `concurrency` at once.
  async benchDrops(
    settings: DatasourceSettings,
    query: Record<string, unknown>,
    range: TimeRangeMs,
    counts: { warmup: number; runs: number; concurrency: number; rounds: number },
    timeoutMs: number
  ): Promise<QueryBenchResult> {
    const args = ['-plugin', PLUGIN_EXECUTABLE, '-settings', JSON.stringify(settings), '-query', JSON.stringify(query)];
    args.push('-from', String(Math.floor(range.fromMs)), '-to', String(Math.ceil(range.toMs)));
    args.push('-warmup', String(counts.warmup), '-runs', String(counts.runs));
    args.push('-concurrency', String(counts.concurrency), '-rounds', String(counts.rounds));
    return JSON.parse(await this.run(this.querybench, args, timeoutMs)) as QueryBenchResult;
  }

  private run(command: string, args: string[], timeoutMs: number): Promise<string> {
    const [cmd, full] = this.launch(command, args);
    return new Promise((resolve, reject) => {
      execFile(
        cmd,
        full,
        { maxBuffer: 256 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`${command} failed: ${err.message}\n${stderr.trim().slice(-4000)}`));
            return;
          }
          resolve(stdout);
        }
      );
    });
  }
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
