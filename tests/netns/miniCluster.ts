// A mini Kubernetes-like cluster out of network namespaces: a "node" namespace with two bridges (the captured local pod
// network 10.244.1.0/24 and a routed remote one 10.244.2.0/24), pods as namespaces on veth pairs, iptables in the node
// for path faults (blackholed, refused and lossy ports; NetworkPolicy drops come from the reference enforcer, see
// tests/kube/), tcpdump on the local bridge. Every address exists only inside namespaces this run created.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { ConnectFailureRecord, DnsLookupRecord, HarnessManifest, HttpExchangeRecord, PodRecord } from './manifest';
import { HarnessCommandError, runIn, sh, shQuiet, spawnIn, waitFor } from './shell';

export interface PodSpec {
  name: string;
  namespace?: string;
  // Last octet; the network decides the /24.
  host: number;
  network: 'local' | 'remote';
  labels?: Record<string, string>;
}

export interface HttpRequestPlan {
  url: string;
  method: string;
  propagation: HttpExchangeRecord['propagation'];
  traceId: string;
  spanId: string;
  bodyBytes?: number;
  timeoutMs?: number;
}

interface PathRule {
  from: string;
  to: string;
  port: number;
  rule: 'DROP' | 'REJECT tcp-reset' | 'loss';
  probability?: number;
}

const SUBNET = { local: '10.244.1', remote: '10.244.2' } as const;
const BRIDGE = { local: 'br0', remote: 'br1' } as const;
// Bundled copies (benchmarks) run from the repository root, where __dirname is no guide.
const HERE = existsSync(join(__dirname, 'podScripts')) ? __dirname : resolve(process.cwd(), 'tests/netns');
export const NODE_JS = resolve(HERE, '../../node_modules/.bin/node');
const SCRIPTS = join(HERE, 'podScripts');

// UDP discard port on the node that carries the end-of-capture marker.
const MARKER_PORT = 9;

const live = new Set<MiniCluster>();
// Namespaces must not outlive the test process, whatever ends it: a normal exit or an interrupt.
process.once('exit', () => live.forEach((c) => c.destroySync()));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    live.forEach((c) => c.destroySync());
    process.kill(process.pid, signal);
  });
}

export class MiniCluster {
  readonly runId: string;
  readonly nodeNs: string;
  readonly workDir: string;
  readonly manifest: HarnessManifest;
  private readonly namespaces: string[] = [];
  private readonly processes: ChildProcess[] = [];
  private readonly rules: PathRule[] = [];
  private readonly podLabels = new Map<string, Record<string, string>>();
  private capture: ChildProcess | undefined;
  private captureStderr = '';
  // Packets the kernel dropped before tcpdump read them, from its exit statistics: such a file has holes.
  lastCaptureKernelDrops = 0;
  private destroyed = false;

  private constructor() {
    this.runId = randomBytes(3).toString('hex').slice(0, 5);
    this.nodeNs = `wt-${this.runId}-node`;
    this.workDir = mkdtempSync(join(tmpdir(), `wt-${this.runId}-`));
    this.manifest = { runId: this.runId, pods: [], exchanges: [], drops: [], resets: [], dns: [], lossPaths: [] };
  }

  static create(pods: PodSpec[]): MiniCluster {
    const cluster = new MiniCluster();
    live.add(cluster);
    try {
      cluster.buildNode();
      pods.forEach((p, i) => cluster.addPod(p, i));
      cluster.writeClusterFile();
    } catch (err) {
      cluster.destroySync();
      throw err;
    }
    return cluster;
  }

  pod(name: string): PodRecord {
    const pod = this.manifest.pods.find((p) => p.name === name);
    if (!pod) {
      throw new HarnessCommandError(`no pod named ${name}`);
    }
    return pod;
  }

  // tcpdump on the local bridge by default: every local pod's traffic, and what is routed to remote pods, once each.
  // iface 'any' captures every interface of the node (Linux cooked headers; forwarded packets appear several times).
  // bufferKiB: the kernel buffer tcpdump reads from (its -B); a bigger one loses fewer packets on a busy machine.
  async startCapture(snaplen = 262144, iface = 'br0', bufferKiB?: number): Promise<string> {
    const file = join(this.workDir, 'capture.pcap');
    const buffer = bufferKiB ? ['-B', String(bufferKiB)] : [];
    const child = spawnIn(this.nodeNs, 'tcpdump', [
      '-i',
      iface,
      '-U',
      ...buffer,
      '-s',
      String(snaplen),
      '-w',
      file,
      'ip or ip6',
    ]);
    this.captureStderr = '';
    child.stderr!.on('data', (d: Buffer) => (this.captureStderr += d.toString()));
    this.capture = child;
    await waitFor(() => this.captureStderr.includes('listening on'), 10_000, 'tcpdump to start');
    this.manifest.captureFile = file;
    return file;
  }

  async stopCapture(): Promise<string> {
    const child = this.capture;
    if (!child || !this.manifest.captureFile) {
      throw new HarnessCommandError('no capture running');
    }
    // tcpdump lags behind a busy machine: send a marker datagram and stop only once it is in the file, so every
    // packet of the scenario before it is too.
    await this.waitForCaptureMarker(this.manifest.captureFile);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGINT');
    await exited;
    this.capture = undefined;
    this.lastCaptureKernelDrops = Number(/(\d+) packets? dropped by kernel/.exec(this.captureStderr)?.[1] ?? 0);
    return this.manifest.captureFile;
  }

  private async waitForCaptureMarker(file: string): Promise<void> {
    const pod = this.manifest.pods.find((p) => p.network === 'local');
    if (!pod) {
      return;
    }
    const marker = `wt-capture-end-${this.runId}-${Date.now()}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      sh('ip', [
        'netns',
        'exec',
        pod.netns,
        'bash',
        '-c',
        `printf %s "$1" > /dev/udp/${SUBNET.local}.1/${MARKER_PORT}`,
        'bash',
        marker,
      ]);
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (tailContains(file, marker)) {
          return;
        }
      }
    }
    throw new HarnessCommandError(`tcpdump did not write the end-of-capture marker within 30 s`);
  }

  async startHttpServer(podName: string, port: number): Promise<void> {
    const pod = this.pod(podName);
    const child = spawnIn(pod.netns, NODE_JS, [join(SCRIPTS, 'httpServer.mjs'), pod.ip, String(port)]);
    this.processes.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor(() => out.includes('listening') || child.exitCode !== null, 10_000, `HTTP server in ${podName}`);
    if (!out.includes('listening')) {
      throw new HarnessCommandError(`HTTP server in ${podName} exited: ${err.trim()}`);
    }
  }

  // dnsmasq answering `records`, NXDOMAIN for any other name under `localDomain`.
  async startDns(podName: string, localDomain: string, records: Record<string, string>): Promise<void> {
    const pod = this.pod(podName);
    const args = [
      '--keep-in-foreground',
      '--no-resolv',
      '--no-hosts',
      '--conf-file=/dev/null',
      `--pid-file=${join(this.workDir, `dnsmasq-${podName}.pid`)}`,
      `--listen-address=${pod.ip}`,
      '--bind-interfaces',
      '--user=root',
      `--local=/${localDomain}/`,
      ...Object.entries(records).map(([name, ip]) => `--host-record=${name},${ip}`),
    ];
    const child = spawnIn(pod.netns, 'dnsmasq', args);
    this.processes.push(child);
    let exited = false;
    child.once('exit', () => (exited = true));
    await new Promise((r) => setTimeout(r, 300));
    if (exited) {
      throw new HarnessCommandError(`dnsmasq in ${podName} exited at start`);
    }
  }

  // A blackholed port: the node silently discards the client's packets to it (the SYNs go unanswered).
  dropPath(from: string, to: string, port: number): void {
    this.addRule({ from, to, port, rule: 'DROP' }, ['-j', 'DROP']);
  }

  // A refused path: the node answers the SYN with a RST.
  rejectPath(from: string, to: string, port: number): void {
    this.addRule({ from, to, port, rule: 'REJECT tcp-reset' }, ['-j', 'REJECT', '--reject-with', 'tcp-reset']);
  }

  // Random loss both ways (this kernel has no netem): real retransmissions.
  lossPath(from: string, to: string, port: number, probability: number): void {
    const stat = ['-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'];
    this.addRule({ from, to, port, rule: 'loss', probability }, stat);
    const f = this.pod(from);
    const t = this.pod(to);
    sh('ip', [
      'netns',
      'exec',
      this.nodeNs,
      'iptables',
      '-A',
      'FORWARD',
      '-s',
      t.ip,
      '-d',
      f.ip,
      '-p',
      'tcp',
      '--sport',
      String(port),
      ...stat,
    ]);
  }

  async runHttpClient(
    podName: string,
    requests: HttpRequestPlan[],
    options: { keepAlive?: boolean; concurrency?: number } = {}
  ): Promise<HttpExchangeRecord[]> {
    const pod = this.pod(podName);
    const planFile = join(this.workDir, `plan-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      planFile,
      JSON.stringify({ requests, keepAlive: options.keepAlive ?? true, concurrency: options.concurrency ?? 1 })
    );
    const out = await runIn(pod.netns, NODE_JS, [join(SCRIPTS, 'httpClient.mjs'), planFile], 600_000);
    const results = JSON.parse(out) as Array<
      HttpRequestPlan & { status?: number; error?: string; srcPort?: number; startUs: number; endUs: number }
    >;
    const records: HttpExchangeRecord[] = [];
    for (const r of results) {
      const url = new URL(r.url);
      const server = this.manifest.pods.find((p) => p.ip === url.hostname);
      const serverPort = Number(url.port || 80);
      const rule = this.rules.find((x) => x.from === podName && x.to === server?.name && x.port === serverPort);
      if (r.error && rule && rule.rule !== 'loss') {
        const failure: ConnectFailureRecord = {
          client: podName,
          clientIp: pod.ip,
          srcPort: r.srcPort,
          server: server?.name ?? url.hostname,
          serverIp: url.hostname,
          serverPort,
          rule: rule.rule,
          error: r.error,
          startUs: r.startUs,
          endUs: r.endUs,
        };
        (rule.rule === 'DROP' ? this.manifest.drops : this.manifest.resets).push(failure);
        continue;
      }
      const record: HttpExchangeRecord = {
        client: podName,
        server: server?.name ?? url.hostname,
        serverIp: url.hostname,
        serverPort,
        srcPort: r.srcPort,
        method: r.method,
        path: url.pathname,
        status: r.status,
        error: r.error,
        traceId: r.traceId,
        spanId: r.spanId,
        propagation: r.propagation,
        startUs: r.startUs,
        endUs: r.endUs,
      };
      records.push(record);
      this.manifest.exchanges.push(record);
    }
    const loss = this.rules.find((x) => x.rule === 'loss' && x.from === podName);
    if (loss && records.some((r) => r.serverIp === this.pod(loss.to).ip)) {
      const onPath = records.filter((r) => r.serverIp === this.pod(loss.to).ip && r.serverPort === loss.port);
      this.manifest.lossPaths.push({
        client: podName,
        server: loss.to,
        serverIp: this.pod(loss.to).ip,
        serverPort: loss.port,
        probability: loss.probability ?? 0,
        requests: onPath.length,
        completed: onPath.filter((r) => r.status !== undefined).length,
      });
    }
    return records;
  }

  async lookup(podName: string, dnsPod: string, names: string[]): Promise<DnsLookupRecord[]> {
    const pod = this.pod(podName);
    const server = this.pod(dnsPod);
    const out = await runIn(pod.netns, NODE_JS, [join(SCRIPTS, 'dnsClient.mjs'), server.ip, ...names]);
    const results = JSON.parse(out) as Array<{ name: string; qtype: 'A'; rcode: string; answers: string[] }>;
    const records = results.map((r) => ({ client: podName, server: dnsPod, serverIp: server.ip, ...r }));
    this.manifest.dns.push(...records);
    return records;
  }

  // Runs a command inside the node namespace (where the agent sits), e.g. to query its API on loopback.
  execInNode(command: string, args: string[], timeoutMs?: number): Promise<string> {
    return runIn(this.nodeNs, command, args, timeoutMs);
  }

  spawnInNode(command: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
    const child = spawnIn(this.nodeNs, command, args, env);
    this.processes.push(child);
    return child;
  }

  writeManifest(): string {
    const file = join(this.workDir, 'manifest.json');
    writeFileSync(file, JSON.stringify(this.manifest, null, 2));
    return file;
  }

  async destroy(keepFiles = false): Promise<void> {
    if (this.capture) {
      await this.stopCapture().catch(() => undefined);
    }
    this.destroySync(keepFiles);
  }

  destroySync(keepFiles = true): void {
    if (this.destroyed) {
      return;
    }
    this.destroyed = true;
    live.delete(this);
    for (const child of [...this.processes, ...(this.capture ? [this.capture] : [])]) {
      child.kill('SIGKILL');
    }
    for (const ns of [...this.namespaces].reverse()) {
      // Anything still running in the namespace (dnsmasq children, stray clients) goes with it.
      const pids = spawnPids(ns);
      pids.forEach((pid) => shQuiet('kill', ['-9', String(pid)]));
      shQuiet('ip', ['netns', 'del', ns]);
    }
    if (!keepFiles) {
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  private buildNode(): void {
    this.createNamespace(this.nodeNs);
    const n = ['-n', this.nodeNs];
    sh('ip', [...n, 'link', 'set', 'lo', 'up']);
    for (const net of ['local', 'remote'] as const) {
      sh('ip', [...n, 'link', 'add', BRIDGE[net], 'type', 'bridge']);
      sh('ip', [...n, 'addr', 'add', `${SUBNET[net]}.1/24`, 'dev', BRIDGE[net]]);
      sh('ip', [...n, 'link', 'set', 'dev', BRIDGE[net], 'gso_max_segs', '1']);
      sh('ip', [...n, 'link', 'set', BRIDGE[net], 'up']);
    }
    sh('ip', ['netns', 'exec', this.nodeNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    // The end-of-capture marker is swallowed silently (no ICMP port-unreachable to confuse the agent).
    sh('ip', [
      'netns',
      'exec',
      this.nodeNs,
      'iptables',
      '-A',
      'INPUT',
      '-p',
      'udp',
      '--dport',
      String(MARKER_PORT),
      '-j',
      'DROP',
    ]);
    // Routed traffic must take the plain IP path: with bridge netfilter a REJECT's RST would bypass the captured bridge.
    shQuiet('ip', ['netns', 'exec', this.nodeNs, 'sysctl', '-q', '-w', 'net.bridge.bridge-nf-call-iptables=0']);
    // IPv6 router solicitations and the like would only add noise to the capture.
    sh('ip', ['netns', 'exec', this.nodeNs, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
  }

  private addPod(spec: PodSpec, index: number): void {
    const netns = `wt-${this.runId}-${spec.name}`;
    this.createNamespace(netns);
    const ip = `${SUBNET[spec.network]}.${spec.host}`;
    const hostSide = `v${this.runId}${index}`;
    sh('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
    sh('ip', ['link', 'add', hostSide, 'netns', this.nodeNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    sh('ip', ['-n', this.nodeNs, 'link', 'set', hostSide, 'master', BRIDGE[spec.network], 'up']);
    sh('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    // One MSS per packet, as a NIC capture would see it (veth otherwise passes 64 KB super-segments).
    sh('ip', ['-n', netns, 'link', 'set', 'dev', 'eth0', 'gso_max_segs', '1']);
    sh('ip', ['-n', this.nodeNs, 'link', 'set', 'dev', hostSide, 'gso_max_segs', '1']);
    sh('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    sh('ip', ['-n', netns, 'route', 'add', 'default', 'via', `${SUBNET[spec.network]}.1`]);
    this.manifest.pods.push({
      name: spec.name,
      namespace: spec.namespace ?? 'default',
      ip,
      netns,
      network: spec.network,
    });
    this.podLabels.set(spec.name, spec.labels ?? { app: spec.name });
  }

  private addRule(rule: PathRule, target: string[]): void {
    const f = this.pod(rule.from);
    const t = this.pod(rule.to);
    if (f.network === t.network) {
      throw new HarnessCommandError(
        `${rule.from} and ${rule.to} share a bridge: node rules only see routed (local ↔ remote) traffic`
      );
    }
    sh('ip', [
      'netns',
      'exec',
      this.nodeNs,
      'iptables',
      '-A',
      'FORWARD',
      '-s',
      f.ip,
      '-d',
      t.ip,
      '-p',
      'tcp',
      '--dport',
      String(rule.port),
      ...target,
    ]);
    this.rules.push(rule);
  }

  private createNamespace(name: string): void {
    sh('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
  }

  // A `kubectl get pods -o yaml`-shaped List, so the agent's --cluster can name the pods.
  private writeClusterFile(): void {
    const startTime = new Date(Date.now() - 60_000).toISOString();
    const items = this.manifest.pods.map((p) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.name,
        namespace: p.namespace,
        uid: `${this.runId}-${p.name}`,
        labels: this.podLabels.get(p.name),
      },
      spec: { nodeName: this.nodeNs, containers: [{ name: p.name, image: 'harness' }] },
      status: { phase: 'Running', podIP: p.ip, podIPs: [{ ip: p.ip }], startTime },
    }));
    const file = join(this.workDir, 'cluster.yaml');
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items }));
    this.manifest.clusterFile = file;
  }
}

function tailContains(file: string, text: string): boolean {
  if (!existsSync(file)) {
    return false;
  }
  const size = statSync(file).size;
  const length = Math.min(size, 1 << 20);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buf.includes(text);
}

function spawnPids(ns: string): number[] {
  try {
    return sh('ip', ['netns', 'pids', ns])
      .split('\n')
      .filter((l) => /^\d+$/.test(l.trim()))
      .map(Number);
  } catch {
    return [];
  }
}
