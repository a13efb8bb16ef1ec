// What kind of failure an application reported, and what kind a network event predicts the client saw.
import type { NetworkEvent } from '../../model/events';

export type FailureKind = 'timeout' | 'refused' | 'reset' | 'unreachable' | 'dns';

const PATTERNS: Array<[FailureKind, RegExp]> = [
  ['timeout', /timed? ?out|etimedout|deadline[ _]exceeded|timeout/i],
  ['refused', /refused|econnrefused/i],
  ['reset', /reset|econnreset|broken pipe|epipe/i],
  ['unreachable', /unreachable|no route to host|ehostunreach|enetunreach/i],
  ['dns', /enotfound|eai_again|no such host|name resolution|nxdomain/i],
];

export function classifyFailure(message: string | undefined): FailureKind | undefined {
  if (!message) {
    return undefined;
  }
  for (const [kind, pattern] of PATTERNS) {
    if (pattern.test(message)) {
      return kind;
    }
  }
  return undefined;
}

// A silent drop makes the client time out; a rejected SYN is refused; a RST mid-connection is a reset.
export function expectedFailures(event: NetworkEvent): FailureKind[] {
  if (event.kind === 'reset') {
    return event.flow?.tcp?.lifecycle !== undefined && (event.flow.tcp.lifecycle & 8) === 0
      ? ['refused', 'reset']
      : ['reset', 'refused'];
  }
  if (event.kind === 'drop') {
    const reason = event.drop?.reason ?? '';
    if (/reject|icmp|unreachable/i.test(reason)) {
      return ['refused', 'unreachable'];
    }
    return ['timeout'];
  }
  if (event.kind === 'dns') {
    return ['dns', 'timeout'];
  }
  return [];
}
