// Port matching of one NetworkPolicyPort: protocol (TCP by default), a number, a range up to endPort, or a
// named port resolved on the destination pod's container ports.
import type { V1NetworkPolicyPort, V1Pod } from '@kubernetes/client-node';

export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];

export function parseProtocol(text: string): PolicyProtocol | undefined {
  const upper = text.trim().toUpperCase();
  return PROTOCOLS.includes(upper) ? (upper as PolicyProtocol) : undefined;
}

// A rule with no ports (absent or empty list) matches every port of every protocol.
export function portsMatch(
  rulePorts: V1NetworkPolicyPort[] | undefined,
  port: number,
  protocol: PolicyProtocol,
  destinationPod: V1Pod | undefined
): boolean {
  if (!rulePorts || rulePorts.length === 0) {
    return true;
  }
  return rulePorts.some((rulePort) => portMatches(rulePort, port, protocol, destinationPod));
}

function portMatches(
  rulePort: V1NetworkPolicyPort,
  port: number,
  protocol: PolicyProtocol,
  destinationPod: V1Pod | undefined
): boolean {
  const ruleProtocol = (rulePort.protocol ?? 'TCP').toUpperCase();
  if (ruleProtocol !== protocol) {
    return false;
  }
  const value: unknown = rulePort.port;
  if (value === undefined || value === null) {
    return true;
  }
  const numeric =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  if (numeric !== undefined) {
    const end = typeof rulePort.endPort === 'number' ? rulePort.endPort : numeric;
    return port >= numeric && port <= end;
  }
  if (typeof value !== 'string' || !destinationPod) {
    return false;
  }
  return namedPortNumbers(destinationPod, value, protocol).includes(port);
}

// The container port numbers a pod exposes under a name for one protocol.
export function namedPortNumbers(pod: V1Pod, name: string, protocol: PolicyProtocol): number[] {
  const numbers: number[] = [];
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const containerPort of container.ports ?? []) {
      if (containerPort.name === name && (containerPort.protocol ?? 'TCP').toUpperCase() === protocol) {
        numbers.push(containerPort.containerPort);
      }
    }
  }
  return numbers;
}
