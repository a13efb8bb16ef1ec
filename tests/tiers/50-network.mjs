import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { hasCommand, isRoot, run } from '../lib/process.mjs';

function canCreateNamespaces() {
  const probe = `wt-tier-${process.pid}`;
  const ok = spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' }).status === 0;
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return ok;
}

// The agent against real traffic in network namespaces: needs root, iproute2, iptables, tcpdump and dnsmasq.
export default {
  name: 'network',
  order: 50,
  async skipReason() {
    if (!isRoot()) {
      return 'needs root (network namespaces, iptables, tcpdump)';
    }
    for (const tool of ['ip', 'iptables', 'tcpdump', 'dnsmasq']) {
      if (!hasCommand(tool)) {
        return `${tool} is not installed`;
      }
    }
    return canCreateNamespaces() ? null : 'cannot create network namespaces (ip netns add failed)';
  },
  async run() {
    const built = await run('node', ['scripts/build-agent.mjs']);
    if (built !== 0) {
      return { passed: 0, failed: 1 };
    }
    mkdirSync('build', { recursive: true });
    const report = 'build/jest-network-report.json';
    const code = await run('npx', [
      'jest',
      '-c',
      'tests/network/jest.config.js',
      '--ci',
      '--runInBand',
      '--json',
      '--outputFile',
      report,
    ]);
    try {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      return { passed: r.numPassedTests, failed: r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0) };
    } catch {
      return { passed: 0, failed: 1 };
    }
  },
};
