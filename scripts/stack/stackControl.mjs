// Brings the local stack up and down: Jaeger, VictoriaLogs and Prometheus (test peers, built or unpacked once and
// cached), and Grafana when the user has one installed. Nothing AGPL is fetched or built here.
import { connect } from 'node:net';
import { awaitPeer } from '../peers/index.mjs';
import { logFile, runningPid, startServer, stopServer, waitReady } from './processes.mjs';
import { jaegerServer, prometheusServer, victoriaLogsServer } from './servers.mjs';
import { grafanaServer, grafanaUnavailableReason } from './grafana.mjs';

const READY_TIMEOUT_MS = 180_000;
const STACK_ORDER = ['victorialogs', 'jaeger', 'prometheus', 'grafana'];
const PEER_SERVERS = {
  victorialogs: (binary) => victoriaLogsServer(binary),
  jaeger: (binary) => jaegerServer(binary),
  prometheus: (binary) => prometheusServer(binary),
};

/**
 * @typedef {{ name: string, pid: number, log: string, endpoints: Array<[string, string]>, startedNow: boolean }} RunningServer
 * @typedef {{ servers: RunningServer[], unavailable: string[] }} StackState
 */

/**
 * Starts what is not running yet and waits for every server's /ready.
 * Grafana, when not installed, is listed in `unavailable` with the reason; a peer that cannot be built throws.
 * @param {{ log: (line: string) => void, withGrafana?: boolean }} io
 * @returns {Promise<StackState>}
 */
export async function stackUp(io) {
  /** @type {StackState} */
  const state = { servers: [], unavailable: [] };
  for (const [name, serverOf] of Object.entries(PEER_SERVERS)) {
    // A peer that cannot be built is a failure with its build log, not a quietly smaller stack.
    const binary = await awaitPeer(name, io);
    state.servers.push(await ensureRunning(serverOf(binary), io));
  }
  if (io.withGrafana !== false) {
    const reason = grafanaUnavailableReason();
    if (reason) {
      state.unavailable.push(`grafana: ${reason}`);
    } else {
      state.servers.push(await ensureRunning(grafanaServer(), io));
    }
  }
  return state;
}

async function ensureRunning(spec, io) {
  let pid = runningPid(spec.name);
  const startedNow = pid === null;
  if (pid === null) {
    const { hostname, port } = new URL(spec.readyUrl);
    if (await portAnswers(hostname, Number(port))) {
      throw new Error(
        `${spec.name}: ${hostname}:${port} is already taken by a process this stack did not start; stop it first`
      );
    }
    pid = startServer(spec);
    io.log(`started ${spec.name} (pid ${pid}), waiting for ${spec.readyUrl}`);
  }
  await waitReady(spec, pid, READY_TIMEOUT_MS);
  return { name: spec.name, pid, log: logFile(spec.name), endpoints: spec.endpoints, startedNow };
}

function portAnswers(host, port) {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}

/**
 * Stops the named servers (default: every server of the stack) that have a live pid file; returns the names stopped.
 * @param {string[]} [names]
 */
export async function stackDown(names = STACK_ORDER) {
  const stopped = [];
  for (const name of [...names].reverse()) {
    if (await stopServer(name)) {
      stopped.push(name);
    }
  }
  return stopped;
}

/** Which servers have a live process, by name. */
export function stackStatus() {
  return STACK_ORDER.map((name) => ({ name, pid: runningPid(name), log: logFile(name) }));
}
