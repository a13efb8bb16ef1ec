// The test peers (permissively licensed tools the tests talk to): where each is cached, building them, waiting for one.
// A peer is a scripts/peers/<name>.peer.mjs exporting { name, version, licence, binaryName, build({ outDir, log }) }.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { PEER_BIN_DIR, PEER_LOG_DIR, PEERS_DIR, isAlive } from './peerPaths.mjs';

/** @typedef {{ name: string, version: string, neededByTier?: number, longBuild?: boolean, quickBuild?: boolean, licence: string, binaryName: string, build: (io: { outDir: string, log: (line: string) => void, logFile: string }) => Promise<void> }} Peer */

/** @type {Map<string, Peer>} */
export const PEERS = new Map();
const loaded = [];
for (const file of readdirSync(PEERS_DIR).filter((f) => f.endsWith('.peer.mjs'))) {
  loaded.push((await import(pathToFileURL(join(PEERS_DIR, file)).href)).default);
}
// Peers the earliest tier needs come first, so the background builder readies them first. Among equals the long
// build comes first (it takes a lane of its own while the others share the second), then the quick ones.
loaded.sort(
  (a, b) =>
    (a.neededByTier ?? 99) - (b.neededByTier ?? 99) ||
    (a.longBuild ? 0 : 1) - (b.longBuild ? 0 : 1) ||
    (a.quickBuild ? 0 : 1) - (b.quickBuild ? 0 : 1) ||
    a.name.localeCompare(b.name)
);
for (const peer of loaded) {
  PEERS.set(peer.name, peer);
}

function peerNamed(name) {
  const peer = PEERS.get(name);
  if (!peer) {
    throw new Error(`no test peer named "${name}" (known: ${[...PEERS.keys()].join(', ')})`);
  }
  return peer;
}

/** The folder a peer's build fills: ~/.cache/wiretrace/bin/<name>-<version>/. */
export function peerDir(name) {
  const peer = peerNamed(name);
  return join(PEER_BIN_DIR, `${peer.name}-${peer.version}`);
}

/** The cached path of a peer's binary (which may not be built yet). */
export function peerBinary(name) {
  return join(peerDir(name), peerNamed(name).binaryName);
}

export function peerLogFile(name) {
  return join(PEER_LOG_DIR, `${name}.log`);
}

export function peerStatusFile(name) {
  return join(PEER_LOG_DIR, `${name}.status.json`);
}

const BUILDER_PID_FILE = join(PEER_LOG_DIR, 'builder.pid');

function builderPid() {
  if (!existsSync(BUILDER_PID_FILE)) {
    return null;
  }
  const pid = Number(readFileSync(BUILDER_PID_FILE, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/**
 * Starts one detached background process that builds every peer not yet cached, at low priority (two builds at
 * once when memory allows: see buildPeers.mjs).
 * Returns at once; nothing is started when every peer is cached or a builder already runs.
 * @returns {{ pid: number | null, missing: string[] }}
 */
export function startPeerBuilds() {
  const missing = [...PEERS.keys()].filter((name) => !existsSync(peerBinary(name)));
  if (missing.length === 0 || process.env.WIRETRACE_PEER_BUILDS === '0') {
    return { pid: null, missing };
  }
  const running = builderPid();
  if (running !== null) {
    return { pid: running, missing };
  }
  mkdirSync(PEER_LOG_DIR, { recursive: true });
  for (const name of missing) {
    // A status left by an earlier run is stale: this builder tries again.
    rmSync(peerStatusFile(name), { force: true });
  }
  const out = openSync(join(PEER_LOG_DIR, 'builder.log'), 'a');
  // nice keeps the builds from slowing the tiers that run meanwhile more than they must.
  const child = spawn('nice', ['-n', '10', process.execPath, join(PEERS_DIR, 'buildPeers.mjs'), ...missing], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  writeFileSync(BUILDER_PID_FILE, `${child.pid}\n`);
  return { pid: child.pid ?? null, missing };
}

/** The last lines of a peer's build log, for a failure message. */
export function buildLogTail(name, lines = 40) {
  const file = peerLogFile(name);
  if (!existsSync(file)) {
    return `(no build log at ${file})`;
  }
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Waits until the peer is built; resolves its binary path, or rejects with the tail of its build log.
 * Starts the background builds itself when none runs (a tier run alone, `npm run stack`).
 * @param {string} name
 * @param {{ log?: (line: string) => void }} [io]
 */
export async function awaitPeer(name, io = {}) {
  const binary = peerBinary(name);
  let announced = false;
  let restarted = false;
  for (;;) {
    if (existsSync(binary)) {
      return binary;
    }
    const status = readStatus(name);
    if (status?.state === 'failed') {
      throw new Error(
        `test peer ${name} could not be built: ${status.error}\n--- ${peerLogFile(name)} ---\n${buildLogTail(name)}`
      );
    }
    if (builderPid() === null) {
      if (restarted) {
        throw new Error(
          `the peer builder stopped without building ${name}\n--- ${peerLogFile(name)} ---\n${buildLogTail(name)}`
        );
      }
      startPeerBuilds();
      restarted = true;
    }
    if (!announced) {
      io.log?.(`waiting for test peer ${name} to be built (log: ${peerLogFile(name)})`);
      announced = true;
    }
    await sleep(2000);
  }
}

function readStatus(name) {
  try {
    return JSON.parse(readFileSync(peerStatusFile(name), 'utf8'));
  } catch {
    return null;
  }
}
