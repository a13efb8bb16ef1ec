// The cluster as the agent sees it: the six kinds of object identity and policy need, whether they came
// from live informers or from a `kubectl get … -o yaml` file.
import type { V1EndpointSlice, V1Namespace, V1NetworkPolicy, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';

export interface ClusterSnapshot {
  pods: V1Pod[];
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
  namespaces: V1Namespace[];
  nodes: V1Node[];
  networkPolicies: V1NetworkPolicy[];
}

export type ClusterResource = keyof ClusterSnapshot;

export const CLUSTER_RESOURCES: ClusterResource[] = [
  'pods',
  'services',
  'endpointSlices',
  'namespaces',
  'nodes',
  'networkPolicies',
];

export function emptySnapshot(): ClusterSnapshot {
  return { pods: [], services: [], endpointSlices: [], namespaces: [], nodes: [], networkPolicies: [] };
}

export function objectKey(meta: { namespace?: string; name?: string } | undefined): string {
  const name = meta?.name ?? '';
  return meta?.namespace ? `${meta.namespace}/${name}` : name;
}

// Every IP a pod holds: status.podIPs on dual-stack clusters, status.podIP otherwise.
export function podIps(pod: V1Pod): string[] {
  const ips = new Set<string>();
  for (const entry of pod.status?.podIPs ?? []) {
    if (entry.ip) {
      ips.add(entry.ip);
    }
  }
  if (pod.status?.podIP) {
    ips.add(pod.status.podIP);
  }
  return [...ips];
}

export function isHostNetwork(pod: V1Pod): boolean {
  return pod.spec?.hostNetwork === true;
}

// A pod in a terminal phase no longer holds its IP: the kubelet has torn its sandbox down.
export function isTerminated(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function nodeIps(node: V1Node): string[] {
  return (node.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => a.address);
}

// Kubernetes ≥ 1.21 labels every namespace with its own name; older clusters and hand-written files may not.
export function namespaceLabels(namespace: V1Namespace | undefined, name: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': name, ...(namespace?.metadata?.labels ?? {}) };
}
