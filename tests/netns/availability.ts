// Why the network tests cannot run here, or null when they can.
import { spawnSync } from 'node:child_process';
import { hasCommand } from './shell';

export function netnsSkipReason(tools: string[] = ['tcpdump', 'dnsmasq', 'iptables']): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return 'network tests need root (network namespaces, iptables, tcpdump)';
  }
  if (!hasCommand('ip')) {
    return 'iproute2 (ip) is not installed';
  }
  for (const tool of tools) {
    if (!hasCommand(tool)) {
      return `${tool} is not installed`;
    }
  }
  const probe = `wt-probe-${process.pid}`;
  const ok = spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' }).status === 0;
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return ok ? null : 'cannot create network namespaces here (ip netns add failed)';
}
