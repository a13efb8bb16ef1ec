// The transcribed upstream NetworkPolicy cases (tests/fixtures/netpol/*.yaml) and the x/y/z × a/b/c cluster
// each runs on: shared by the verdict tier and the fix-suggestion tier.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { V1Namespace, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../kube/model';

export interface Expectation {
  from: string;
  to: string;
  allowed: boolean;
}

export interface Probe {
  port: number;
  protocol: string;
  default?: boolean;
  expect: Expectation[];
  // Optional direct checks against an endpoint that is not one of the model pods (an IP or a node).
  connections?: Array<{
    from: string;
    to: string;
    allowed: boolean;
    egress?: boolean | null;
    ingress?: boolean | null;
  }>;
}

export interface UpstreamCase {
  name: string;
  cite: string;
  family?: 'ipv4' | 'ipv6';
  pods: string[];
  podLabels?: Record<string, Record<string, string>>;
  namespaceLabels?: Record<string, Record<string, string>>;
  namespacesWithoutLabels?: boolean;
  hostNetwork?: string[];
  // Pods outside the x/y/z model, with their own IP, labels and named ports.
  extraPods?: Array<{
    key: string;
    ip: string;
    labels?: Record<string, string>;
    ports?: Array<{ name: string; port: number; protocol?: string }>;
  }>;
  policies: V1NetworkPolicy[];
  probes: Probe[];
  selects: { ingress?: Record<string, string[]>; egress?: Record<string, string[]> };
}

const FIXTURES = join(__dirname, '../../tests/fixtures/netpol');
const NS_INDEX: Record<string, number> = { x: 1, y: 2, z: 3 };
const POD_INDEX: Record<string, number> = { a: 1, b: 2, c: 3 };
const NODE_IP = '10.240.0.1';

function podIp(key: string, family: 'ipv4' | 'ipv6'): string {
  const [ns, pod] = key.split('/');
  return family === 'ipv6'
    ? `fd00:10:244:${NS_INDEX[ns]}::${POD_INDEX[pod]}`
    : `10.244.${NS_INDEX[ns]}.${POD_INDEX[pod]}`;
}

// The upstream e2e model: one container per port and protocol, each port named serve-<port>-<proto>.
export function buildCluster(c: UpstreamCase): ClusterSnapshot {
  const family = c.family ?? 'ipv4';
  const namespaceNames = [
    ...new Set([...c.pods, ...(c.extraPods ?? []).map((p) => p.key)].map((p) => p.split('/')[0])),
  ];
  const namespaces: V1Namespace[] = namespaceNames.map((name) => ({
    metadata: {
      name,
      labels: c.namespacesWithoutLabels
        ? {}
        : { ns: name, 'kubernetes.io/metadata.name': name, ...(c.namespaceLabels?.[name] ?? {}) },
    },
  }));
  const pods: V1Pod[] = c.pods.map((key) => {
    const [namespace, name] = key.split('/');
    const hostNetwork = c.hostNetwork?.includes(key) ?? false;
    const ip = hostNetwork ? NODE_IP : podIp(key, family);
    return {
      metadata: { namespace, name, labels: { pod: name, ...(c.podLabels?.[key] ?? {}) } },
      spec: {
        nodeName: 'node-1',
        hostNetwork,
        containers: [80, 81].flatMap((port) =>
          ['TCP', 'UDP', 'SCTP'].map((protocol) => ({
            name: `cont-${port}-${protocol.toLowerCase()}`,
            ports: [{ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol }],
          }))
        ),
      },
      status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
    };
  });
  for (const extra of c.extraPods ?? []) {
    const [namespace, name] = extra.key.split('/');
    pods.push({
      metadata: { namespace, name, labels: extra.labels ?? {} },
      spec: {
        nodeName: 'node-1',
        containers: [
          {
            name: 'main',
            ports: (extra.ports ?? []).map((p) => ({
              name: p.name,
              containerPort: p.port,
              protocol: p.protocol ?? 'TCP',
            })),
          },
        ],
      },
      status: { phase: 'Running', podIP: extra.ip, podIPs: [{ ip: extra.ip }] },
    });
  }
  return {
    pods,
    namespaces,
    services: [],
    endpointSlices: [],
    nodes: [{ metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: NODE_IP }] } }],
    networkPolicies: c.policies,
  };
}

export function patternMatches(pattern: string, key: string): boolean {
  if (pattern === '*') {
    return true;
  }
  const [ns, pod] = pattern.split('/');
  const [keyNs, keyPod] = key.split('/');
  return ns === keyNs && (pod === '*' || pod === keyPod);
}

export function expectedVerdict(probe: Probe, from: string, to: string): boolean {
  let verdict = probe.default ?? true;
  for (const e of probe.expect) {
    if (patternMatches(e.from, from) && patternMatches(e.to, to)) {
      verdict = e.allowed;
    }
  }
  return verdict;
}

export function expectedPolicies(selects: Record<string, string[]> | undefined, pod: string): string[] {
  const entry = Object.entries(selects ?? {}).find(([pattern]) => patternMatches(pattern, pod));
  return entry ? entry[1] : [];
}

export const upstreamCases: Array<[string, UpstreamCase]> = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    (parse(readFileSync(join(FIXTURES, file), 'utf8')).cases as UpstreamCase[]).map((c): [string, UpstreamCase] => [
      file,
      c,
    ])
  );
