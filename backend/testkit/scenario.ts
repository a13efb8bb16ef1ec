// A small checkout incident: frontend's calls to payments are dropped by policy while its spans time out.
import type { NetworkEvent } from '../../model/events';

export const T0_US = 1_763_719_200_000_000;
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export const frontend = {
  ip: '10.244.1.17',
  port: 41822,
  pod: 'frontend-6b7d9c-x2k4p',
  namespace: 'shop',
  service: 'frontend',
};
export const payments = {
  ip: '10.244.2.9',
  port: 8443,
  pod: 'payments-5f4d-q9z8r',
  namespace: 'shop',
  service: 'payments',
};

export const policyDrop: NetworkEvent = {
  kind: 'drop',
  time: T0_US + 12_500,
  endTime: T0_US + 2_950_000,
  transport: 'tcp',
  src: frontend,
  dst: payments,
  source: 'pcap',
  node: 'node-a',
  drop: {
    reason: 'policy_denied',
    verdict: 'dropped',
    attempts: 4,
    attemptTimes: [T0_US + 12_500, T0_US + 1_012_500, T0_US + 2_012_500, T0_US + 2_950_000],
    policy: {
      allowed: false,
      egress: { allowed: true, policies: [], reason: 'no policy selects frontend for egress' },
      ingress: { allowed: false, policies: ['payments-ingress'], reason: 'no rule allows shop/frontend on port 8443' },
    },
  },
};

export function agentEventsBody(events: NetworkEvent[]): string {
  return JSON.stringify({ node: 'node-a', events, truncated: false });
}
