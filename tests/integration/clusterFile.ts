// The Kubernetes objects behind the scenario, as `kubectl get … -o yaml` would print them, for the agent's
// cluster-file mode: pods with the harness IPs, their Services and EndpointSlices, and the NetworkPolicy that
// the iptables rule enforces.
import { stringify } from 'yaml';

// One pod of the scenario: its Kubernetes name and labels, and the IP the harness gave it.
export interface ScenarioPod {
  namespace: string;
  name: string;
  app: string;
  ip: string;
}

export interface ServiceSpec {
  name: string;
  pod: ScenarioPod;
  port: number;
}

export function clusterFileYaml(
  node: string,
  pods: ScenarioPod[],
  services: ServiceSpec[],
  policyYaml: object[]
): string {
  const namespaces = [...new Set(pods.map((p) => p.namespace))];
  const items: object[] = [
    ...namespaces.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    })),
    ...pods.map((pod) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        namespace: pod.namespace,
        labels: { app: pod.app },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: pod.name.split('-').slice(0, 2).join('-'),
            uid: `rs-${pod.app}`,
            controller: true,
          },
        ],
      },
      spec: { nodeName: node, containers: [{ name: pod.app, image: `registry.local/${pod.app}:1` }] },
      status: { phase: 'Running', podIP: pod.ip, podIPs: [{ ip: pod.ip }], hostIP: '192.0.2.10' },
    })),
    ...services.map((svc) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svc.name, namespace: svc.pod.namespace },
      spec: {
        selector: { app: svc.pod.app },
        ports: [{ name: 'http', port: svc.port, targetPort: svc.port, protocol: 'TCP' }],
        type: 'ClusterIP',
        clusterIP: 'None',
      },
    })),
    ...services.map((svc) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${svc.name}-abcde`,
        namespace: svc.pod.namespace,
        labels: { 'kubernetes.io/service-name': svc.name },
      },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: [svc.pod.ip],
          conditions: { ready: true },
          targetRef: { kind: 'Pod', name: svc.pod.name, namespace: svc.pod.namespace },
        },
      ],
      ports: [{ name: 'http', port: svc.port, protocol: 'TCP' }],
    })),
    ...policyYaml,
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node },
      status: { addresses: [{ type: 'InternalIP', address: '192.0.2.10' }] },
    },
  ];
  return stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** payments accepts ingress on its port only from pods labelled app=checkout: frontend is not one of them. */
export function paymentsIngressPolicy(payments: ScenarioPod, port: number): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'payments-allow-checkout', namespace: payments.namespace },
    spec: {
      podSelector: { matchLabels: { app: payments.app } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'checkout' } } }], ports: [{ protocol: 'TCP', port }] }],
    },
  };
}
