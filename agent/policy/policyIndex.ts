// Indexes a cluster snapshot for policy evaluation: pods by key and IP, namespace labels, node addresses,
// policies by namespace. Built once per snapshot, then every explanation is a few map look-ups.
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import {
  isHostNetwork,
  isTerminated,
  namespaceLabels,
  nodeIps,
  objectKey,
  podIps,
  type ClusterSnapshot,
} from '../kube/model';
import { parseIp } from './cidr';
import type { PolicyEndpoint } from './endpoint';
import type { Labels } from './selectors';

export type PolicyType = 'Ingress' | 'Egress';

// policyTypes as the API server defaults them: Ingress always, Egress only when egress rules exist.
export function policyTypes(policy: V1NetworkPolicy): PolicyType[] {
  const declared = policy.spec?.policyTypes;
  if (declared && declared.length > 0) {
    return declared.filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress');
  }
  return (policy.spec?.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export class PolicyIndex {
  private readonly podsByKey = new Map<string, V1Pod>();
  private readonly podsByIp = new Map<string, V1Pod>();
  private readonly livePodsByNamespace = new Map<string, V1Pod[]>();
  private readonly namespaceLabelsByName = new Map<string, Labels>();
  private readonly nodeByIp = new Map<string, string>();
  private readonly policiesByNamespace = new Map<string, V1NetworkPolicy[]>();

  constructor(cluster: ClusterSnapshot) {
    for (const namespace of cluster.namespaces) {
      const name = namespace.metadata?.name ?? '';
      this.namespaceLabelsByName.set(name, namespaceLabels(namespace, name));
    }
    for (const node of cluster.nodes) {
      for (const ip of nodeIps(node)) {
        this.nodeByIp.set(ip, node.metadata?.name ?? '');
      }
    }
    for (const pod of cluster.pods) {
      this.podsByKey.set(objectKey(pod.metadata), pod);
      if (isTerminated(pod)) {
        continue;
      }
      const namespace = pod.metadata?.namespace ?? 'default';
      const live = this.livePodsByNamespace.get(namespace) ?? [];
      live.push(pod);
      this.livePodsByNamespace.set(namespace, live);
      for (const ip of podIps(pod)) {
        // A pod-network pod owns its IP; a host-network pod only shares its node's.
        const current = this.podsByIp.get(ip);
        if (!current || (isHostNetwork(current) && !isHostNetwork(pod))) {
          this.podsByIp.set(ip, pod);
        }
      }
    }
    const sorted = [...cluster.networkPolicies].sort((a, b) =>
      objectKey(a.metadata).localeCompare(objectKey(b.metadata))
    );
    for (const policy of sorted) {
      const namespace = policy.metadata?.namespace ?? 'default';
      const list = this.policiesByNamespace.get(namespace) ?? [];
      list.push(policy);
      this.policiesByNamespace.set(namespace, list);
    }
  }

  podByKey(key: string): V1Pod | undefined {
    return this.podsByKey.get(key);
  }

  podByIp(ip: string): V1Pod | undefined {
    return this.podsByIp.get(ip);
  }

  // Pods of a namespace that are not terminated: the ones a policy's podSelector can isolate.
  livePodsIn(namespace: string): V1Pod[] {
    return this.livePodsByNamespace.get(namespace) ?? [];
  }

  policiesIn(namespace: string): V1NetworkPolicy[] {
    return this.policiesByNamespace.get(namespace) ?? [];
  }

  endpointForPod(pod: V1Pod, ip?: string): PolicyEndpoint {
    const namespace = pod.metadata?.namespace ?? 'default';
    const address = ip ?? podIps(pod)[0];
    return {
      ip: address,
      address: address ? parseIp(address) : undefined,
      pod,
      podKey: objectKey({ namespace, name: pod.metadata?.name }),
      namespace,
      labels: pod.metadata?.labels ?? {},
      namespaceLabels: this.namespaceLabelsByName.get(namespace) ?? namespaceLabels(undefined, namespace),
      hostNetwork: isHostNetwork(pod),
      node: pod.spec?.nodeName,
      isNodeAddress: isHostNetwork(pod),
    };
  }

  endpointForIp(ip: string): PolicyEndpoint {
    const pod = this.podsByIp.get(ip);
    if (pod) {
      return this.endpointForPod(pod, ip);
    }
    const node = this.nodeByIp.get(ip);
    return {
      ip,
      address: parseIp(ip),
      labels: {},
      namespaceLabels: {},
      hostNetwork: false,
      node,
      isNodeAddress: node !== undefined,
    };
  }
}
