// Runs a command as a whole process under bash and reads the CPU its children used from `times`, which spawnSync
// cannot report; the same measure for our process and for tshark, start-up included.
import { spawnSync } from 'node:child_process';

export interface ProcessTimes {
  wallSeconds: number;
  cpuSeconds: number;
}

function seconds(bashTime: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(bashTime);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

// argv[0] is the program; its stdout goes to `stdoutFile` (or /dev/null), its stderr to ours.
export function timeProcess(argv: string[], stdoutFile = '/dev/null'): ProcessTimes {
  const script = '"$@" > "$OUT" || exit 3; times';
  const started = process.hrtime.bigint();
  const child = spawnSync('bash', ['-c', script, 'bash', ...argv], {
    encoding: 'utf8',
    env: { ...process.env, OUT: stdoutFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.error || child.status !== 0) {
    throw new Error(`${argv[0]} failed: ${child.error?.message ?? `exit ${child.status}`}`);
  }
  const [user, system] = (child.stdout.trim().split('\n')[1] ?? '').split(' ').map(seconds);
  return { wallSeconds, cpuSeconds: user + system };
}

export function hasTshark(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}
