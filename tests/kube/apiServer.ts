// A real Kubernetes control plane for the tests: etcd (Debian's etcd-server) and the kube-apiserver test peer on
// 127.0.0.1 inside a network namespace (the harness node's, where the agent and the enforcer reach it directly),
// HTTPS with a test CA, a static admin token, service-account tokens signed with an openssl key, RBAC authorization.
// The test process reaches it through a port forward. No controller-manager runs: what it would create, we create.
import { type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { NODE_JS } from '../netns/miniCluster';
import { runIn, spawnIn } from '../netns/shell';
import { NamespacePortForward } from '../integration/namespacePortForward';
import { makeApiServerPki, type ApiServerPki } from './pki';

// Inside a namespace the run created, so fixed ports cannot collide with anything else on the machine.
export const API_SERVER_PORT = 6443;
const ETCD_CLIENT_PORT = 2379;
const ETCD_PEER_PORT = 2380;
const READY_TIMEOUT_MS = 240_000;

export interface KubeApiServerOptions {
  binary: string;
  netns: string;
  workDir: string;
  // Off, every watch reads etcd directly, so a compaction answers a watch resumed from before it with 410 Gone.
  watchCache?: boolean;
  // The API server ends each watch after this many seconds (to twice that), so clients resume them soon.
  minRequestTimeoutSeconds?: number;
}

type Where = 'host' | 'netns';

export class KubeApiServer {
  readonly adminToken = `admin-${Math.random().toString(36).slice(2)}`;
  private etcd?: ChildProcess;
  private apiServer?: ChildProcess;
  private forward?: NamespacePortForward;
  private hostPort = 0;
  readonly pki: ApiServerPki;
  readonly dir: string;

  private constructor(private readonly options: KubeApiServerOptions) {
    this.dir = join(options.workDir, 'kube');
    mkdirSync(this.dir, { recursive: true });
    this.pki = makeApiServerPki(this.dir);
  }

  static async start(options: KubeApiServerOptions): Promise<KubeApiServer> {
    const server = new KubeApiServer(options);
    try {
      await server.startEtcd();
      await server.startApiServer();
      server.forward = new NamespacePortForward(options.netns, API_SERVER_PORT, NODE_JS);
      server.hostPort = Number(new URL(await server.forward.listen()).port);
      await server.waitReady();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** The API server's URL from the test process (host) or from inside the node namespace (agent, enforcer). */
  url(where: Where = 'host'): string {
    return `https://127.0.0.1:${where === 'host' ? this.hostPort : API_SERVER_PORT}`;
  }

  /** A client-node configuration acting with `token` (the admin's unless given). */
  kubeConfig(token = this.adminToken, where: Where = 'host'): KubeConfig {
    const config = new KubeConfig();
    config.loadFromString(this.kubeconfigYaml(token, where));
    return config;
  }

  /** Writes a kubeconfig file (as `kubectl` would read it) and returns its path. */
  writeKubeconfig(name: string, token: string, where: Where): string {
    const file = join(this.dir, `${name}.kubeconfig`);
    writeFileSync(file, this.kubeconfigYaml(token, where), { mode: 0o600 });
    return file;
  }

  /** The newest etcd revision (every write to the API server adds one). */
  async etcdRevision(): Promise<number> {
    const answer = await this.etcdCall('/v3/kv/range', { key: Buffer.from('/').toString('base64') });
    return Number((answer as { header: { revision: string } }).header.revision);
  }

  /** Compacts etcd up to `revision`: watches resumed from an older resource version are answered 410 Gone. */
  async compactEtcd(revision: number): Promise<void> {
    await this.etcdCall('/v3/kv/compaction', { revision: String(revision), physical: true });
  }

  get apiServerLog(): string {
    return readFileSync(join(this.dir, 'kube-apiserver.log'), 'utf8');
  }

  async stop(): Promise<void> {
    await this.forward?.close().catch(() => undefined);
    await stopProcess(this.apiServer);
    await stopProcess(this.etcd);
  }

  private kubeconfigYaml(token: string, where: Where): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'harness',
          cluster: {
            server: this.url(where),
            'certificate-authority-data': Buffer.from(this.pki.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'user', user: { token } }],
      contexts: [{ name: 'harness', context: { cluster: 'harness', user: 'user' } }],
      'current-context': 'harness',
    });
  }

  private async startEtcd(): Promise<void> {
    const client = `http://127.0.0.1:${ETCD_CLIENT_PORT}`;
    const peer = `http://127.0.0.1:${ETCD_PEER_PORT}`;
    this.etcd = this.spawnLogged('etcd', 'etcd', [
      '--name=harness',
      `--data-dir=${join(this.dir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=harness=${peer}`,
      '--log-level=warn',
      '--logger=zap',
    ]);
    await this.waitFor('etcd to answer /health', 'etcd', this.etcd, async () => {
      const out = await runIn(this.options.netns, 'curl', ['-sf', `${client}/health`], 10_000).catch(() => '');
      return out.includes('"health":"true"');
    });
  }

  private async startApiServer(): Promise<void> {
    // A static admin (system:masters is bound to cluster-admin by the bootstrap RBAC policy).
    const tokens = join(this.dir, 'tokens.csv');
    writeFileSync(tokens, `${this.adminToken},harness-admin,harness-admin,"system:masters"\n`, { mode: 0o600 });
    const args = [
      `--etcd-servers=http://127.0.0.1:${ETCD_CLIENT_PORT}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${API_SERVER_PORT}`,
      `--tls-cert-file=${this.pki.serverCert}`,
      `--tls-private-key-file=${this.pki.serverKey}`,
      `--client-ca-file=${this.pki.caCert}`,
      `--token-auth-file=${tokens}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${this.pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${this.pki.serviceAccountKey}`,
      '--authorization-mode=RBAC',
      '--endpoint-reconciler-type=none',
      '--enable-priority-and-fairness=false',
      '--service-cluster-ip-range=10.96.0.0/16',
      `--watch-cache=${this.options.watchCache ?? true}`,
      `--min-request-timeout=${this.options.minRequestTimeoutSeconds ?? 1800}`,
      `--cert-dir=${join(this.dir, 'certs')}`,
      '--v=1',
    ];
    this.apiServer = this.spawnLogged('kube-apiserver', this.options.binary, args);
  }

  private async waitReady(): Promise<void> {
    await this.waitFor('kube-apiserver to answer /readyz', 'kube-apiserver', this.apiServer!, async () => {
      const answer = await this.hostGet('/readyz').catch(() => undefined);
      return answer?.status === 200;
    });
  }

  private spawnLogged(name: string, command: string, args: string[]): ChildProcess {
    const child = spawnIn(this.options.netns, command, args);
    const log = createWriteStream(join(this.dir, `${name}.log`), { flags: 'a' });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());
    return child;
  }

  private async waitFor(
    what: string,
    logName: string,
    child: ChildProcess,
    ready: () => Promise<boolean>
  ): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await ready())) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${what}: it exited (${child.exitCode ?? child.signalCode}):\n${this.logTail(logName)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${READY_TIMEOUT_MS / 1000}s waiting for ${what}:\n${this.logTail(logName)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  // The work directory is removed when the tests end, so a start failure carries the end of the log itself.
  private logTail(name: string): string {
    try {
      return readFileSync(join(this.dir, `${name}.log`), 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return `(no ${name}.log)`;
    }
  }

  private hostGet(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolvePromise, reject) => {
      const req = request(
        `${this.url('host')}${path}`,
        { ca: this.pki.caPem, headers: { authorization: `Bearer ${this.adminToken}` }, timeout: 10_000 },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
        }
      );
      req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
      req.on('error', reject);
      req.end();
    });
  }

  // etcd's JSON gateway, from inside the namespace (etcd listens on its loopback only).
  private async etcdCall(path: string, body: object): Promise<unknown> {
    const out = await runIn(
      this.options.netns,
      'curl',
      ['-sf', '-X', 'POST', '-d', JSON.stringify(body), `http://127.0.0.1:${ETCD_CLIENT_PORT}${path}`],
      30_000
    );
    return JSON.parse(out);
  }
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
