// The stored window of one node's agent in the fleet tests: drops, flows, DNS and HTTP exchanges between the pods of
// that node (identity names each pod's node), spread over a few minutes before `endUs`.
import type { NetworkEvent } from '../../model/events';

export const PODS_PER_NODE = 4;
// One event in this many is a drop; of the rest, 3 DNS and 2 HTTP for every 15 flows.
export const DROP_EVERY = 20;

export function podName(agentIndex: number, pod: number): string {
  return `web-${agentIndex}-${pod}`;
}

export function namespaceOf(agentIndex: number): string {
  return `ns-${agentIndex % 10}`;
}

export function nodeName(agentIndex: number): string {
  return `node-${agentIndex}`;
}

function podIp(agentIndex: number, pod: number): string {
  return `10.${1 + Math.floor(agentIndex / 250)}.${agentIndex % 250}.${10 + pod}`;
}

export function fleetEvents(agentIndex: number, count: number, endUs: number, spanUs: number): NetworkEvent[] {
  const node = nodeName(agentIndex);
  const namespace = namespaceOf(agentIndex);
  const events: NetworkEvent[] = [];
  for (let j = 0; j < count; j++) {
    const from = j % PODS_PER_NODE;
    const to = (j + 1) % PODS_PER_NODE;
    const time = endUs - spanUs + Math.floor((j * spanUs) / count);
    const slot = j % DROP_EVERY;
    const base = {
      time,
      transport: 'tcp' as const,
      src: { ip: podIp(agentIndex, from), port: 30000 + j, pod: podName(agentIndex, from), namespace, node },
      dst: {
        ip: podIp(agentIndex, to),
        port: 8080,
        pod: podName(agentIndex, to),
        namespace,
        node,
        service: `svc-${to}`,
        workload: { kind: 'Deployment', name: `web-${to}` },
      },
      source: 'pcap' as const,
      node,
    };
    if (slot === 0) {
      events.push({
        ...base,
        kind: 'drop',
        endTime: time + 3_000_000,
        drop: { reason: 'policy_denied', verdict: 'dropped', attempts: 3, deniedBy: [`deny-${to}`] },
      });
    } else if (slot <= 3) {
      events.push({
        ...base,
        kind: 'dns',
        transport: 'udp',
        dst: { ip: '10.96.0.10', port: 53, service: 'kube-dns' },
        dns: {
          id: j,
          query: `svc-${to}.${namespace}.svc.cluster.local`,
          qtype: 'A',
          rcode: 'NOERROR',
          answers: [podIp(agentIndex, to)],
          latencyUs: 300,
          answered: true,
        },
      });
    } else if (slot <= 5) {
      events.push({
        ...base,
        kind: 'http',
        endTime: time + 2000,
        http: {
          method: 'GET',
          path: `/items/${j}`,
          host: `svc-${to}`,
          status: 200,
          latencyUs: 2000,
          requestHeaders: {},
        },
      });
    } else {
      events.push({
        ...base,
        kind: 'flow',
        endTime: time + 50_000,
        flow: {
          state: 'closed',
          toServer: { bytes: 420, packets: 5 },
          toClient: { bytes: 1800, packets: 4 },
          tcp: { handshakeRttUs: 90, retransmits: 0, zeroWindow: 0, lifecycle: 31 },
        },
      });
    }
  }
  return events;
}
