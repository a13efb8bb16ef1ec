// `tcpdump -i nflog:5 -w` of a real iptables NFLOG rule, analyzed offline: the drop names the policy from its prefix.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netnsSkipReason } from '../netns/availability';
import { sh, shQuiet, waitFor } from '../netns/shell';
import { agentBuilt, analyze } from './agentProcess';

const skipReason =
  netnsSkipReason(['tcpdump', 'iptables']) ?? (agentBuilt() ? null : 'build the agent first (npm run build:agent)');
const describeNetwork = skipReason ? describe.skip : describe;
if (skipReason) {
  process.stderr.write(`network tests skipped: ${skipReason}\n`);
}

const PREFIX = 'calico-drop:shop/deny-payments';
const PORT = 8443;

describeNetwork('analyze on an NFLOG capture', () => {
  const ns = `wt-nflog-${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'wt-nflog-'));

  afterAll(() => {
    shQuiet('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the logged SYNs as one drop whose reason is the prefix and whose policy it names', async () => {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const inNs = (args: string[]) => sh('ip', ['netns', 'exec', ns, ...args]);
    const rule = ['-p', 'tcp', '--dport', String(PORT)];
    inNs(['iptables', '-A', 'OUTPUT', ...rule, '-j', 'NFLOG', '--nflog-group', '5', '--nflog-prefix', PREFIX]);
    inNs(['iptables', '-A', 'OUTPUT', ...rule, '-j', 'DROP']);
    const file = join(dir, 'nflog.pcap');
    const tcpdump = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', 'nflog:5', '-U', '-w', file]);
    let stderr = '';
    tcpdump.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => stderr.includes('listening on'), 10_000, 'tcpdump on nflog:5');
    // The connection attempt is dropped: its SYN and the kernel's first retry are logged before the timeout.
    spawn('ip', ['netns', 'exec', ns, 'timeout', '3', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${PORT}`]);
    const logged = () =>
      execFileSync('tcpdump', ['-r', file, '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const loggedTwice = () => {
      try {
        return (
          logged()
            .split('\n')
            .filter((l) => l.includes(`127.0.0.1.${PORT}`)).length >= 2
        );
      } catch {
        return false;
      }
    };
    await waitFor(loggedTwice, 30_000, 'two logged SYNs');
    const exited = new Promise((r) => tcpdump.once('exit', r));
    tcpdump.kill('SIGINT');
    await exited;
    expect(
      execFileSync('tcpdump', ['-r', file, '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    ).toContain(`127.0.0.1.${PORT}`);

    const result = await analyze(['--pcap', file]);
    expect(result.code).toBe(0);
    const drops = result.events.filter((e) => e.kind === 'drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({
      source: 'nflog',
      dst: { ip: '127.0.0.1', port: PORT },
      drop: { reason: `nflog:${PREFIX}`, deniedBy: ['shop/deny-payments'] },
    });
    expect(drops[0].drop!.attempts).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toContain('"unsupportedLinkType":0');
  });
});
