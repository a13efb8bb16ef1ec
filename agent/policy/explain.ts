// explainConnection: both directions of one connection, and the overall verdict (egress AND ingress).
import type { Endpoint, PolicyExplanation } from '../../model/events';
import type { ClusterSnapshot } from '../kube/model';
import { parseIp } from './cidr';
import { evaluateDirection, type Connection } from './directionVerdict';
import type { PolicyEndpoint } from './endpoint';
import { PolicyIndex } from './policyIndex';
import { parseProtocol } from './ports';

// "NS/POD", an IP, or an event endpoint ({ip, namespace, pod}).
export type ConnectionEndRef = string | Pick<Endpoint, 'ip' | 'namespace' | 'pod'>;

export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

const indexes = new WeakMap<ClusterSnapshot, PolicyIndex>();

// The index is cached per snapshot object: callers explaining many drops against one snapshot pay once.
export function policyIndexFor(cluster: ClusterSnapshot): PolicyIndex {
  let index = indexes.get(cluster);
  if (!index) {
    index = new PolicyIndex(cluster);
    indexes.set(cluster, index);
  }
  return index;
}

export function explainConnection(
  cluster: ClusterSnapshot,
  from: ConnectionEndRef,
  to: ConnectionEndRef,
  port: number,
  protocol = 'TCP'
): PolicyExplanation {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PolicyInputError(`port ${port} is not a port number (1-65535)`);
  }
  const index = policyIndexFor(cluster);
  const connection = resolveConnection(index, from, to, port, protocol);
  const egress = evaluateDirection(index, connection, 'egress');
  const ingress = evaluateDirection(index, connection, 'ingress');
  return { allowed: egress.allowed !== false && ingress.allowed !== false, egress, ingress };
}

// Both ends resolved against the index, with the port and protocol checked.
export function resolveConnection(
  index: PolicyIndex,
  from: ConnectionEndRef,
  to: ConnectionEndRef,
  port: number,
  protocol: string
): Connection {
  const policyProtocol = parseProtocol(protocol);
  if (!policyProtocol) {
    throw new PolicyInputError(`protocol "${protocol}" is not one NetworkPolicy covers (TCP, UDP, SCTP)`);
  }
  return { source: resolveEnd(index, from), destination: resolveEnd(index, to), port, protocol: policyProtocol };
}

function resolveEnd(index: PolicyIndex, ref: ConnectionEndRef): PolicyEndpoint {
  if (typeof ref === 'string') {
    if (parseIp(ref)) {
      return index.endpointForIp(ref.trim());
    }
    const pod = index.podByKey(ref.trim());
    if (!pod) {
      throw new PolicyInputError(
        ref.includes('/') ? `no pod ${ref} in the cluster` : `"${ref}" is neither NAMESPACE/POD nor an IP address`
      );
    }
    return index.endpointForPod(pod);
  }
  if (ref.pod) {
    const pod = index.podByKey(`${ref.namespace ?? 'default'}/${ref.pod}`);
    if (pod) {
      return index.endpointForPod(pod, ref.ip || undefined);
    }
  }
  if (ref.ip && parseIp(ref.ip)) {
    return index.endpointForIp(ref.ip);
  }
  throw new PolicyInputError(`endpoint ${JSON.stringify(ref)} names no known pod and no IP address`);
}
