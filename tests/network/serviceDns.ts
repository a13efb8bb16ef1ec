// A headless Service's DNS for agents on loopback: dnsmasq answering a name with many A records, and a launcher that
// runs a process (the Go SDK host and the backend it starts) with a resolv.conf naming that dnsmasq, in a private
// mount namespace, so the machine's own resolver is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessCommandError } from '../netns/shell';

const START_TIMEOUT_MS = 10_000;

export class ServiceDns {
  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    private readonly resolvConf: string
  ) {}

  // records: name → addresses. `listenAddress` is a loopback address whose port 53 nobody else uses.
  static async start(listenAddress: string, records: Record<string, string[]>, ttlSeconds = 10): Promise<ServiceDns> {
    const workDir = mkdtempSync(join(tmpdir(), 'wt-service-dns-'));
    const hosts = join(workDir, 'hosts');
    writeFileSync(
      hosts,
      Object.entries(records)
        .flatMap(([name, addresses]) => addresses.map((a) => `${a} ${name}`))
        .join('\n') + '\n'
    );
    const resolvConf = join(workDir, 'resolv.conf');
    writeFileSync(resolvConf, `nameserver ${listenAddress}\n`);
    const child = spawn(
      'dnsmasq',
      [
        '--keep-in-foreground',
        '--log-facility=-',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--pid-file=${join(workDir, 'dnsmasq.pid')}`,
        `--listen-address=${listenAddress}`,
        '--bind-interfaces',
        '--port=53',
        '--user=root',
        `--addn-hosts=${hosts}`,
        `--local-ttl=${ttlSeconds}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => fail(`exited ${code}`);
      const onError = (err: Error) => fail(err.message);
      const timer = setTimeout(() => fail(`no "read ${hosts}" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
      const settle = () => {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      const fail = (why: string) => {
        settle();
        child.kill('SIGKILL');
        reject(new HarnessCommandError(`dnsmasq on ${listenAddress}: ${why}: ${log.trim()}`));
      };
      child.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        // The hosts file is read after the socket is bound: from then on the name answers.
        if (log.includes(`read ${hosts}`)) {
          settle();
          resolve();
        }
      });
      child.once('exit', onExit);
      child.once('error', onError);
    });
    return new ServiceDns(child, workDir, resolvConf);
  }

  // The command line that runs `command` with this DNS server as its only resolver.
  launcher(command: string, args: string[]): [string, string[]] {
    const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
    return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, this.resolvConf, command, ...args]];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
