// The real peers the host's backend reads from: Jaeger (traces) and VictoriaLogs (agent events and application
// logs), on free loopback ports of their own, named so nothing else's servers are touched; and the scenario's
// Kubernetes peer binaries.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { awaitPeer, PEERS } from '../../scripts/peers/index.mjs';
import { DATA_DIR } from '../../scripts/stack/paths.mjs';
import { jaegerServer, victoriaLogsServer } from '../../scripts/stack/servers.mjs';
import { freePort } from '../../scripts/stack/freePort.mjs';
import { startFresh, stopServer } from '../../scripts/stack/processes.mjs';

const READY_TIMEOUT_MS = 180_000;

/**
 * Starts the peers and writes the servers file the scenario reads (the integration tier's format).
 * @param {{ serversFile: string, log: (line: string) => void }} options
 * @returns {Promise<{ stop: () => Promise<void> }>}
 */
export async function startHostPeers({ serversFile, log }) {
  const binaries = {
    jaeger: await awaitPeer('jaeger', { log }),
    victorialogs: await awaitPeer('victorialogs', { log }),
  };
  // The scenario's Kubernetes API server and NetworkPolicy enforcer, where the harness has them as peers.
  const kube = {};
  if (PEERS.has('kube-apiserver') && PEERS.has('kube-network-policies')) {
    kube.kubeApiServer = await awaitPeer('kube-apiserver', { log });
    kube.kubeNetworkPolicies = await awaitPeer('kube-network-policies', { log });
  }
  const ports = {
    jaegerQueryHttp: await freePort(),
    jaegerQueryGrpc: await freePort(),
    jaegerOtlpGrpc: await freePort(),
    jaegerOtlpHttp: await freePort(),
    victoriaLogs: await freePort(),
    agentMetrics: await freePort(),
  };
  const dataDir = join(DATA_DIR, `browser-host-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const specs = [
    jaegerServer(binaries.jaeger, ports, 'host-jaeger'),
    victoriaLogsServer(binaries.victorialogs, ports, join(dataDir, 'victorialogs'), 'host-victorialogs'),
  ];
  let started = {};
  const stop = async () => {
    for (const spec of specs) {
      await stopServer(spec.name);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    started = await startFresh(specs, READY_TIMEOUT_MS, (spec, pid) => log(`${spec.name} ready (pid ${pid})`));
  } catch (err) {
    await stop();
    throw err;
  }
  mkdirSync(dirname(serversFile), { recursive: true });
  writeFileSync(serversFile, JSON.stringify({ ports, servers: started, binaries: kube }, null, 2));
  return { stop };
}
