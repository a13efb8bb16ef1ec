// What an ICMP error in reply to a flow means: an administrative filter (a policy drop), or a refusal.
import type { IcmpMessage } from '../decode/packet';

export interface IcmpVerdict {
  kind: 'drop' | 'reset';
  reason: string;
  verdict: 'dropped' | 'denied' | 'error';
}

export function classifyIcmpError(icmp: IcmpMessage): IcmpVerdict | undefined {
  if (icmp.version === 4 && icmp.type === 3) {
    switch (icmp.code) {
      case 9:
      case 10:
      case 13:
        return { kind: 'drop', reason: 'icmp_admin_prohibited', verdict: 'denied' };
      case 3:
        return { kind: 'reset', reason: 'icmp_port_unreachable', verdict: 'error' };
      case 0:
      case 1:
        return { kind: 'drop', reason: 'icmp_host_unreachable', verdict: 'error' };
      default:
        return undefined;
    }
  }
  if (icmp.version === 6 && icmp.type === 1) {
    switch (icmp.code) {
      case 1:
      case 5:
      case 6:
        return { kind: 'drop', reason: 'icmp_admin_prohibited', verdict: 'denied' };
      case 4:
        return { kind: 'reset', reason: 'icmp_port_unreachable', verdict: 'error' };
      case 0:
      case 3:
        return { kind: 'drop', reason: 'icmp_host_unreachable', verdict: 'error' };
      default:
        return undefined;
    }
  }
  return undefined;
}
