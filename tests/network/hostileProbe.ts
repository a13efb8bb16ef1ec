// Runs one hostile-input probe against the built agent CLI, bounded in memory (ulimit -v) and time (timeout -s KILL):
// a probe that crashes, runs out of memory or hangs shows up as such instead of taking the test run with it.
import { spawn } from 'node:child_process';
import { NODE_JS } from '../netns/miniCluster';
import { AGENT } from './agentProcess';

// Virtual memory, KiB: Node 24 needs about 2 GiB of address space reserved to start at all.
export const PROBE_MEMORY_KIB = 3_000_000;
export const PROBE_SECONDS = 60;

export interface ProbeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  // The probe was killed at its time bound (timeout exits 137 after SIGKILL).
  timedOut: boolean;
}

const KEEP = 64 * 1024;

export function probeCli(args: string[], stdin?: string): Promise<ProbeResult> {
  const quoted = [NODE_JS, AGENT, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `ulimit -v ${PROBE_MEMORY_KIB}; exec timeout -s KILL ${PROBE_SECONDS} ${quoted}`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-KEEP)));
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-KEEP)));
    child.on('error', reject);
    if (stdin !== undefined) {
      child.stdin!.end(stdin);
    }
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, timedOut: code === 137 }));
  });
}

// A clean refusal: the expected exit code, one message naming the problem, no stack trace, no crash.
export function describeOutcome(r: ProbeResult): string {
  return `exit ${r.code ?? r.signal}${r.timedOut ? ' (killed at the time bound)' : ''}: ${r.stderr.slice(0, 500)}`;
}
