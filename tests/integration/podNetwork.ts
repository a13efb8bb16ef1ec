// Pods as network namespaces on one bridge (the "node"), for the integration scenario.
// The bridge has no address: nothing in the root namespace can reach the pods' addresses, and no packet leaves.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface PodSpec {
  // Namespace/pod names in the cluster file; the netns is named after the pod.
  namespace: string;
  name: string;
  app: string;
  ip: string;
}

export const POD_PREFIX_LENGTH = 24;

function sh(args: string[]): void {
  execFileSync(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
}

function shQuiet(args: string[]): void {
  try {
    sh(args);
  } catch {
    // Cleaning up what may not exist.
  }
}

export class PodNetwork {
  private readonly servers: ChildProcess[] = [];
  readonly bridge: string;
  readonly pods: PodSpec[];

  constructor(bridge: string, pods: PodSpec[]) {
    this.bridge = bridge;
    this.pods = pods;
  }

  netnsOf(pod: PodSpec): string {
    return `${this.bridge}-${pod.app}`;
  }

  create(): void {
    this.destroy();
    sh(['ip', 'link', 'add', this.bridge, 'type', 'bridge']);
    sh(['ip', 'link', 'set', this.bridge, 'up']);
    this.pods.forEach((pod, i) => {
      const netns = this.netnsOf(pod);
      const hostEnd = `${this.bridge}v${i}`;
      sh(['ip', 'netns', 'add', netns]);
      sh(['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
      sh(['ip', 'link', 'set', hostEnd, 'master', this.bridge]);
      sh(['ip', 'link', 'set', hostEnd, 'up']);
      sh(['ip', '-n', netns, 'addr', 'add', `${pod.ip}/${POD_PREFIX_LENGTH}`, 'dev', 'eth0']);
      sh(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
    });
  }

  /** The enforcement of a NetworkPolicy that denies `from` → `to`:port: new connections are silently dropped. */
  denyIngress(from: PodSpec, to: PodSpec, port: number): void {
    sh([
      'ip',
      'netns',
      'exec',
      this.netnsOf(to),
      'iptables',
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '-s',
      from.ip,
      '--dport',
      String(port),
      '--syn',
      '-j',
      'DROP',
    ]);
  }

  /** A minimal HTTP server in the pod that answers every request with 200. */
  serveHttp(pod: PodSpec, port: number): void {
    const program =
      `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end('{"ok":true}')); })` +
      `.listen(${port}, '${pod.ip}', () => console.log('listening'))`;
    const child = spawn('ip', ['netns', 'exec', this.netnsOf(pod), process.execPath, '-e', program], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.servers.push(child);
  }

  async waitServing(pod: PodSpec, port: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        sh(['ip', 'netns', 'exec', this.netnsOf(pod), 'sh', '-c', `ss -Hltn 'sport = :${port}' | grep -q LISTEN`]);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`nothing listens on ${pod.ip}:${port} in ${this.netnsOf(pod)} after ${timeoutMs}ms`);
  }

  destroy(): void {
    for (const server of this.servers.splice(0)) {
      server.kill('SIGTERM');
    }
    for (const pod of this.pods) {
      shQuiet(['ip', 'netns', 'del', this.netnsOf(pod)]);
    }
    shQuiet(['ip', 'link', 'del', this.bridge]);
  }
}
