// Real iptables NFLOG rules in a network namespace this test creates, real `tcpdump -i nflog:N` inside it.
import { spawnSync } from 'node:child_process';
import type { NetworkEvent } from '../../../model/events';
import { NflogDrops } from '../../decode/nflog/nflogDrops';
import { NflogSource } from './nflogSource';

const NS = `wt-nflog-${process.pid}`;
const GROUP = 17;

function skipReason(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'needs root for network namespaces and iptables';
  }
  for (const tool of ['ip', 'iptables', 'tcpdump', 'bash']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

function inNs(...args: string[]): void {
  const result = spawnSync('ip', ['netns', 'exec', NS, ...args], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
}

const reason = skipReason();
const describeLive = reason ? describe.skip : describe;

describeLive(`NflogSource on a real NFLOG group${reason ? ` (skipped: ${reason})` : ''}`, () => {
  beforeAll(() => {
    spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
    const added = spawnSync('ip', ['netns', 'add', NS], { encoding: 'utf8' });
    if (added.status !== 0) {
      throw new Error(`ip netns add failed: ${added.stderr}`);
    }
    inNs('ip', 'link', 'set', 'lo', 'up');
    // The policy chains a CNI would install: log with the policy's prefix, then drop.
    inNs(
      'iptables',
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '--dport',
      '9',
      '-j',
      'NFLOG',
      '--nflog-group',
      String(GROUP),
      '--nflog-prefix',
      'calico-drop:shop/deny-discard'
    );
    inNs('iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '9', '-j', 'DROP');
    inNs(
      'iptables',
      '-A',
      'INPUT',
      '-p',
      'udp',
      '--dport',
      '5353',
      '-j',
      'NFLOG',
      '--nflog-group',
      String(GROUP),
      '--nflog-prefix',
      'KUBE-NWPLCY-MDNS7Q'
    );
    inNs('iptables', '-A', 'INPUT', '-p', 'udp', '--dport', '5353', '-j', 'DROP');
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  });

  it('reports each logged packet as a drop named by its policy prefix', async () => {
    const events: NetworkEvent[] = [];
    // As the agent wires it: the source's frames become drops, folded on a wall-clock tick.
    const drops = new NflogDrops((e) => events.push(e), { node: 'ns-node' });
    const source = new NflogSource(
      { group: GROUP, tcpdumpCommand: ['ip', 'netns', 'exec', NS, 'tcpdump'] },
      drops.frame.bind(drops)
    );
    const tick = setInterval(() => drops.advance(Date.now() * 1000), 250);
    await source.start();
    const before = Date.now() * 1000;
    // A TCP connect that the DROP rule swallows (gives up after a second), and one UDP datagram.
    spawnSync('ip', ['netns', 'exec', NS, 'timeout', '1.5', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9'], {
      stdio: 'ignore',
    });
    spawnSync('ip', ['netns', 'exec', NS, 'bash', '-c', 'echo hello > /dev/udp/127.0.0.1/5353'], { stdio: 'ignore' });
    const deadline = Date.now() + 5000;
    while (
      !(events.some((e) => e.transport === 'udp') && events.some((e) => e.transport === 'tcp')) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await source.stop();
    clearInterval(tick);
    drops.flush();

    // The SYN and its retransmission are one blocked attempt: one drop.
    expect(events.filter((e) => e.transport === 'tcp')).toHaveLength(1);
    const tcp = events.find((e) => e.transport === 'tcp');
    const udp = events.find((e) => e.transport === 'udp');
    expect(tcp).toMatchObject({
      kind: 'drop',
      source: 'nflog',
      node: 'ns-node',
      src: { ip: '127.0.0.1' },
      dst: { ip: '127.0.0.1', port: 9 },
      drop: { reason: 'nflog:calico-drop:shop/deny-discard', verdict: 'dropped', deniedBy: ['shop/deny-discard'] },
    });
    expect(tcp!.drop!.attempts).toBeGreaterThanOrEqual(2);
    expect(tcp!.endTime!).toBeGreaterThan(tcp!.time);
    expect(udp).toMatchObject({
      dst: { ip: '127.0.0.1', port: 5353 },
      drop: { reason: 'nflog:KUBE-NWPLCY-MDNS7Q', deniedBy: ['KUBE-NWPLCY-MDNS7Q'] },
    });
    // Kernel timestamps, not made up: within the test's window.
    expect(tcp!.time).toBeGreaterThanOrEqual(before - 1_000_000);
    expect(tcp!.time).toBeLessThanOrEqual(Date.now() * 1000);
    expect(drops.counters.malformed).toBe(0);
    expect(drops.counters.events).toBeGreaterThanOrEqual(events.length + 1);
  }, 20_000);

  it('fails to start with a clear message when tcpdump cannot open the group', async () => {
    const source = new NflogSource(
      { group: GROUP, tcpdumpCommand: ['ip', 'netns', 'exec', `${NS}-missing`, 'tcpdump'] },
      () => undefined
    );
    await expect(source.start()).rejects.toThrow(/nflog: tcpdump exited with \d+/);
  });
});

describe('NflogSource options', () => {
  it('rejects an out-of-range group', () => {
    expect(() => new NflogSource({ group: 70000 }, () => undefined)).toThrow(
      'nflog: group must be an integer from 0 to 65535, got 70000'
    );
  });
});
