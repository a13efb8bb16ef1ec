// Two endpoints with a router namespace between them (client 10.77.1.2 — router — server 10.77.2.2), a capture on
// each endpoint, random loss on the router: each endpoint's capture sees its own sends before the loss and the
// peer's after it, and is the sender-side truth for what its endpoint resent.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_JS } from './miniCluster';
import { HarnessCommandError, runIn, sh, shQuiet, spawnIn, waitFor } from './shell';

export const CLIENT_IP = '10.77.1.2';
export const SERVER_IP = '10.77.2.2';
const SERVER_PORT = 7000;
const MARKER_PORT = 9;
const SCRIPT = join(__dirname, 'podScripts', 'bulkTransfer.mjs');

export type Endpoint = 'client' | 'server';

export class RoutedPath {
  readonly workDir: string;
  readonly ns: Record<Endpoint | 'router', string>;
  private readonly processes: ChildProcess[] = [];
  private readonly captures = new Map<Endpoint, { child: ChildProcess; file: string; stderr: () => string }>();
  // Packets each capture lost in the kernel (the truth is only the truth when this is zero).
  readonly captureDrops: Record<Endpoint, number> = { client: 0, server: 0 };

  private constructor() {
    const run = randomBytes(3).toString('hex').slice(0, 5);
    this.ns = { client: `wt-${run}-cli`, router: `wt-${run}-rtr`, server: `wt-${run}-srv` };
    this.workDir = mkdtempSync(join(tmpdir(), `wt-${run}-`));
  }

  static create(): RoutedPath {
    const path = new RoutedPath();
    try {
      path.build();
    } catch (err) {
      path.destroy();
      throw err;
    }
    return path;
  }

  // Random loss of TCP segments both ways on the router (this kernel has no netem).
  lossOnRouter(probability: number): void {
    sh('ip', [
      ...['netns', 'exec', this.ns.router, 'iptables', '-A', 'FORWARD', '-p', 'tcp'],
      ...['-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'],
    ]);
  }

  // Packets the router's loss rule dropped so far.
  routerDrops(): number {
    const out = sh('ip', ['netns', 'exec', this.ns.router, 'iptables', '-L', 'FORWARD', '-v', '-n', '-x']);
    return out
      .split('\n')
      .filter((l) => l.includes('statistic'))
      .reduce((n, l) => n + Number(l.trim().split(/\s+/)[0]), 0);
  }

  async startCaptures(): Promise<void> {
    for (const side of ['client', 'server'] as const) {
      const file = join(this.workDir, `${side}.pcap`);
      // A large kernel buffer: bursts of recovery on a busy machine must not outrun tcpdump.
      const args = ['-i', 'eth0', '-U', '-B', '65536', '-s', '160', '-w', file, 'ip'];
      const child = spawnIn(this.ns[side], 'tcpdump', args);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      this.captures.set(side, { child, file, stderr: () => stderr });
      await waitFor(() => stderr.includes('listening on'), 10_000, `tcpdump in the ${side} namespace`);
    }
  }

  async startServer(): Promise<void> {
    const child = spawnIn(this.ns.server, NODE_JS, [SCRIPT, 'server', SERVER_IP, String(SERVER_PORT)]);
    this.processes.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('listening') || child.exitCode !== null, 10_000, 'the bulk server');
  }

  // Sequential connections, each uploading then downloading; resolves with their client ports.
  async transfer(connections: number, uploadBytes: number, downloadBytes: number): Promise<number[]> {
    const args = [SCRIPT, 'client', SERVER_IP, String(SERVER_PORT), String(connections)];
    const out = await runIn(this.ns.client, NODE_JS, [...args, String(uploadBytes), String(downloadBytes)], 600_000);
    return JSON.parse(out) as number[];
  }

  // Waits until every connection finished its close (a lost last ACK means a resent FIN still to come), then until
  // both captures hold a marker datagram sent after it.
  async stopCaptures(): Promise<Record<Endpoint, string>> {
    const closing = ['state', 'fin-wait-1', 'state', 'closing', 'state', 'last-ack', 'state', 'established'];
    const settled = async () => {
      for (const side of ['client', 'server'] as const) {
        const out = await runIn(this.ns[side], 'ss', ['-Htn', ...closing]);
        if (out.trim()) {
          return false;
        }
      }
      return true;
    };
    const deadline = Date.now() + 60_000;
    while (!(await settled())) {
      if (Date.now() > deadline) {
        throw new HarnessCommandError('connections did not finish closing within 60 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const marker = `wt-routed-end-${Date.now()}`;
    const files = {} as Record<Endpoint, string>;
    for (const [side, { file }] of this.captures) {
      files[side] = file;
    }
    const inBoth = () => Object.values(files).every((f) => existsSync(f) && readFileSync(f).includes(marker));
    while (!inBoth()) {
      if (Date.now() > deadline) {
        throw new HarnessCommandError('tcpdump did not write the end-of-capture marker within 60 s');
      }
      sh('ip', [
        ...['netns', 'exec', this.ns.client, 'bash', '-c'],
        `printf %s "$1" > /dev/udp/${SERVER_IP}/${MARKER_PORT}`,
        'bash',
        marker,
      ]);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [side, { child, stderr }] of this.captures) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGINT');
      await exited;
      this.captureDrops[side] = Number(/(\d+) packets? dropped by kernel/.exec(stderr())?.[1] ?? 0);
    }
    this.captures.clear();
    return files;
  }

  destroy(keepFiles = false): void {
    for (const child of [...this.processes, ...[...this.captures.values()].map((c) => c.child)]) {
      child.kill('SIGKILL');
    }
    for (const ns of Object.values(this.ns)) {
      shQuiet('ip', ['netns', 'del', ns]);
    }
    if (!keepFiles) {
      rmSync(this.workDir, { recursive: true, force: true });
    }
  }

  private build(): void {
    for (const ns of Object.values(this.ns)) {
      sh('ip', ['netns', 'add', ns]);
      sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      sh('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
    }
    sh('ip', ['netns', 'exec', this.ns.router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    const links: Array<[Endpoint, string, string]> = [
      ['client', 'r0', '10.77.1'],
      ['server', 'r1', '10.77.2'],
    ];
    for (const [side, routerSide, subnet] of links) {
      const ns = this.ns[side];
      sh('ip', [
        'link',
        'add',
        routerSide,
        'netns',
        this.ns.router,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        ns,
      ]);
      sh('ip', ['-n', this.ns.router, 'addr', 'add', `${subnet}.1/24`, 'dev', routerSide]);
      sh('ip', ['-n', ns, 'addr', 'add', `${subnet}.2/24`, 'dev', 'eth0']);
      // One MSS per packet, as a NIC capture would see it.
      sh('ip', ['-n', ns, 'link', 'set', 'dev', 'eth0', 'gso_max_segs', '1']);
      sh('ip', ['-n', this.ns.router, 'link', 'set', 'dev', routerSide, 'gso_max_segs', '1']);
      sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      sh('ip', ['-n', this.ns.router, 'link', 'set', routerSide, 'up']);
      sh('ip', ['-n', ns, 'route', 'add', 'default', 'via', `${subnet}.1`]);
    }
    // The end-of-capture marker is swallowed silently (no ICMP port-unreachable in the captures).
    sh('ip', [
      ...['netns', 'exec', this.ns.server, 'iptables', '-A', 'INPUT', '-p', 'udp'],
      ...['--dport', String(MARKER_PORT), '-j', 'DROP'],
    ]);
  }
}
