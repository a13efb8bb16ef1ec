// The peers the integration tier started for this run (build/integration/servers.json): their ports, and stopping
// and restarting one of them as an outage would.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const CACHE_BIN_DIR = join(process.env.WIRETRACE_CACHE ?? join(homedir(), '.cache', 'wiretrace'), 'bin');

interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  readyUrl: string;
}

interface PeerServersFile {
  ports: {
    jaegerQueryHttp: number;
    jaegerQueryGrpc: number;
    jaegerOtlpHttp: number;
    victoriaLogs: number;
    prometheus: number;
    agentMetrics: number;
  };
  servers: Record<string, { spec: ServerSpec; pidFile: string }>;
  // The Kubernetes test peers the tier waited for (scripts/peers/), started by the tests themselves.
  binaries: { kubeApiServer: string; kubeNetworkPolicies: string };
}

function serversFile(): PeerServersFile {
  const file = process.env.WIRETRACE_IT_SERVERS;
  if (!file) {
    throw new Error('WIRETRACE_IT_SERVERS is not set: run these tests through the integration tier (npm test)');
  }
  return JSON.parse(readFileSync(file, 'utf8')) as PeerServersFile;
}

export function peerPorts(): PeerServersFile['ports'] {
  return serversFile().ports;
}

/** The kube-apiserver and kube-network-policies binaries the tier waited for. */
export function kubePeerBinaries(): PeerServersFile['binaries'] {
  const { binaries } = serversFile();
  if (!binaries?.kubeApiServer || !binaries.kubeNetworkPolicies) {
    throw new Error('the integration tier named no Kubernetes peers: run these tests through it (npm test)');
  }
  return binaries;
}

export function peerUrls(): { jaeger: string; jaegerGrpc: string; victoriaLogs: string; prometheus: string } {
  const p = peerPorts();
  return {
    jaeger: `http://127.0.0.1:${p.jaegerQueryHttp}`,
    jaegerGrpc: `http://127.0.0.1:${p.jaegerQueryGrpc}`,
    victoriaLogs: `http://127.0.0.1:${p.victoriaLogs}`,
    prometheus: `http://127.0.0.1:${p.prometheus}`,
  };
}

function entry(name: string): { spec: ServerSpec; pidFile: string } {
  const found = serversFile().servers[name];
  if (!found) {
    throw new Error(`the integration tier started no server named ${name}`);
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a peer as a crash or an outage would, and waits until its process is gone. */
export async function stopPeerServer(name: string): Promise<void> {
  const pid = Number(readFileSync(entry(name).pidFile, 'utf8').trim());
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(-pid, 'SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a stopped peer again with the same flags and data, and waits until it answers. */
export async function restartPeerServer(name: string): Promise<void> {
  const { spec, pidFile } = entry(name);
  const log = openSync(join(REPO_ROOT, 'build', 'integration', `${name}.log`), 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const status = await fetch(spec.readyUrl).then(
      (r) => r.status,
      () => 0
    );
    if (status === 200) {
      return;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`${name} did not come back at ${spec.readyUrl} (exit ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
