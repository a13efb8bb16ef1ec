// Runs the system tools the harness drives (ip, iptables, tcpdump, dnsmasq), failing with the command and its stderr.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

export class HarnessCommandError extends Error {}

export function sh(command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new HarnessCommandError(`${command} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

// Best effort (cleanup paths): never throws.
export function shQuiet(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function inNamespace(ns: string, command: string, args: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, command, ...args]];
}

export function spawnIn(ns: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [cmd, full] = inNamespace(ns, command, args);
  return spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

// Runs to completion inside a namespace; resolves with stdout, rejects with stderr on a non-zero exit.
export function runIn(ns: string, command: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnIn(ns, command, args);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(out);
      } else {
        reject(
          new HarnessCommandError(`${command} ${args.join(' ')} in ${ns} exited ${code ?? signal}: ${err.trim()}`)
        );
      }
    });
  });
}

export function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) {
        resolve();
      } else if (Date.now() - start > timeoutMs) {
        reject(new HarnessCommandError(`timed out after ${timeoutMs} ms waiting for ${what}`));
      } else {
        setTimeout(tick, 50);
      }
    };
    tick();
  });
}
