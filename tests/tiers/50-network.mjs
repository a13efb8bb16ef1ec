import { spawnSync } from 'node:child_process';
import { runJestTier } from '../lib/jestTier.mjs';
import { hasCommand, isRoot, run, runAsOneCheck } from '../lib/process.mjs';

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
    // The harness, these tests and the agent benchmark are type-checked here (no other tsconfig covers them).
    const typecheck = await runAsOneCheck('npx', ['tsc', '-p', 'tests/network/tsconfig.json']);
    const built = await run('node', ['scripts/build-agent.mjs']);
    if (built !== 0) {
      return { passed: typecheck.passed, failed: typecheck.failed + 1 };
    }
    const network = await runJestTier('jest-network-report', ['-c', 'tests/network/jest.config.js', '--runInBand'], {
      failSkipped: true,
    });
    return { passed: network.passed + typecheck.passed, failed: network.failed + typecheck.failed };
  },
};
