// Background server processes with a pid file and a log each, so `stack down` and `stack status` find them later.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_DIR } from './paths.mjs';

/**
 * @typedef {object} ServerSpec
 * @property {string} name
 * @property {string} command
 * @property {string[]} args
 * @property {Record<string, string>} [env]
 * @property {string} [cwd]
 * @property {string} readyUrl      answers 200 once the server takes requests
 * @property {Array<[string, string]>} endpoints  what runs where, for the summary
 */

export function pidFile(name) {
  return join(RUN_DIR, `${name}.pid`);
}

export function logFile(name) {
  return join(RUN_DIR, `${name}.log`);
}

export function runningPid(name) {
  const file = pidFile(name);
  if (!existsSync(file)) {
    return null;
  }
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/** Whether a process with this pid exists. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the server detached from this process; its own process group, so stopping it stops its children. */
export function startServer(spec) {
  mkdirSync(RUN_DIR, { recursive: true });
  const log = openSync(logFile(spec.name), 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(spec.name), `${child.pid}\n`);
  return child.pid;
}

/** Waits until readyUrl answers 200; fails early when the process exits, with the end of its log. */
export async function waitReady(spec, pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new Error(`${spec.name} exited during start-up; end of ${logFile(spec.name)}:\n${logTail(spec.name, 20)}`);
    }
    try {
      const response = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(2000) });
      const body = (await response.text()).trim();
      if (response.status === 200) {
        return;
      }
      last = `${response.status} ${body.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(500);
  }
  throw new Error(
    `${spec.name} not ready after ${timeoutMs / 1000}s at ${spec.readyUrl} (last: ${last}); log: ${logFile(spec.name)}`
  );
}

/**
 * Starts each server afresh (one of the same name left by an earlier run is stopped first) and waits until it is
 * ready; returns what was started by name, for the servers file and for stopping them.
 * @param {ServerSpec[]} specs
 * @param {number} timeoutMs
 * @param {(spec: ServerSpec, pid: number) => void} onReady
 */
export async function startFresh(specs, timeoutMs, onReady) {
  /** @type {Record<string, { spec: ServerSpec, pidFile: string }>} */
  const started = {};
  for (const spec of specs) {
    await stopServer(spec.name);
    const pid = startServer(spec);
    started[spec.name] = { spec, pidFile: pidFile(spec.name) };
    await waitReady(spec, pid, timeoutMs);
    onReady(spec, pid);
  }
  return started;
}

/** SIGTERM, then SIGKILL after the grace period; removes the pid file. */
export async function stopServer(name, graceMs = 15_000) {
  const pid = runningPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === null) {
    return false;
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) {
    await sleep(200);
  }
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
  }
  return true;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

export function logTail(name, lines) {
  const file = logFile(name);
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}
