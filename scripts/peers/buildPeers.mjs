// The background peer builder: builds the named peers in their order, two at a time when memory allows, each with a
// log and a status file. Usage (started by startPeerBuilds): node scripts/peers/buildPeers.mjs <name>...
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PEERS, peerBinary, peerDir, peerLogFile, peerStatusFile } from './index.mjs';
import { PEER_LOG_DIR, isAlive } from './peerPaths.mjs';

// The kube-apiserver build alone peaks near 3 GiB; a second lane only when two large builds fit beside the tests.
const SECOND_LANE_FREE_BYTES = 8 * 1024 ** 3;

mkdirSync(PEER_LOG_DIR, { recursive: true });
const queue = process.argv.slice(2);
const lanes = Number(process.env.WIRETRACE_PEER_BUILD_LANES ?? (freemem() >= SECOND_LANE_FREE_BYTES ? 2 : 1));
appendFileSync(
  join(PEER_LOG_DIR, 'builder.log'),
  `${new Date().toISOString()} ${lanes} build lane(s): ${queue.join(', ')}\n`
);
// Each lane takes the next peer in order: the longest build starts first, the others share the second lane.
await Promise.all(
  Array.from({ length: Math.max(1, Math.min(lanes, queue.length)) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      await buildOne(name);
    }
  })
);
rmSync(join(PEER_LOG_DIR, 'builder.pid'), { force: true });

async function buildOne(name) {
  const peer = PEERS.get(name);
  const logFile = peerLogFile(name);
  const log = (line) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  writeFileSync(logFile, '');
  const started = Date.now();
  const status = (fields) =>
    writeFileSync(peerStatusFile(name), JSON.stringify({ name, version: peer?.version, ...fields }) + '\n');
  if (!peer) {
    status({ state: 'failed', error: `no peer named ${name}` });
    return;
  }
  const finalDir = peerDir(name);
  const lock = `${finalDir}.lock`;
  mkdirSync(join(finalDir, '..'), { recursive: true });
  // Another checkout on this machine may be building the same peer into the shared cache.
  while (!takeLock(lock)) {
    log(`waiting for ${lock}`);
    await sleep(5000);
  }
  try {
    if (existsSync(peerBinary(name))) {
      status({ state: 'done', path: peerBinary(name), seconds: 0 });
      return;
    }
    status({ state: 'building', pid: process.pid });
    const outDir = `${finalDir}.partial`;
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    log(`building ${peer.name} ${peer.version} (${peer.licence}) into ${outDir}`);
    await peer.build({ outDir, log, logFile });
    if (!existsSync(join(outDir, peer.binaryName))) {
      throw new Error(`the build finished but left no ${peer.binaryName} in ${outDir}`);
    }
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(outDir, finalDir);
    const seconds = Math.round((Date.now() - started) / 1000);
    const sizeBytes = statSync(peerBinary(name)).size;
    log(`built ${peer.name} ${peer.version} in ${seconds}s, ${(sizeBytes / 1048576).toFixed(1)} MiB`);
    writeFileSync(
      `${finalDir}.build.json`,
      JSON.stringify({ seconds, sizeBytes, builtAt: new Date().toISOString() }) + '\n'
    );
    status({ state: 'done', path: peerBinary(name), seconds, sizeBytes });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`FAILED: ${message}`);
    status({ state: 'failed', error: message.split('\n')[0] });
  } finally {
    rmSync(lock, { force: true });
  }
}

function takeLock(lock) {
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (!isAlive(holder)) {
      rmSync(lock, { force: true });
      return takeLock(lock);
    }
    return false;
  }
}
