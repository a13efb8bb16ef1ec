import type { V1Pod } from '@kubernetes/client-node';
import type { NetworkEvent } from '../../model/events';
import { parseClusterYaml } from '../kube/clusterFile';
import { IdentityResolver } from './resolver';
import { workloadOf } from './workload';

const CLUSTER = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: checkout-7d9f8-abcde
    namespace: shop
    labels: { app: checkout, pod-template-hash: 7d9f8 }
    ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: checkout-7d9f8, uid: u1, controller: true }]
  spec: { nodeName: node-a, containers: [{ name: app, image: x }] }
  status: { phase: Running, podIP: 10.1.0.5, podIPs: [{ ip: 10.1.0.5 }, { ip: 'fd00::5' }], startTime: '2026-01-01T10:00:00Z' }
- apiVersion: v1
  kind: Pod
  metadata:
    name: report-29000000-xyz12
    namespace: batch
    labels: { job-name: report-29000000 }
    ownerReferences: [{ apiVersion: batch/v1, kind: Job, name: report-29000000, uid: u2, controller: true }]
  spec: { nodeName: node-a, containers: [{ name: job, image: x }] }
  status:
    phase: Succeeded
    podIP: 10.1.0.9
    startTime: '2026-01-01T09:00:00Z'
    containerStatuses: [{ name: job, ready: false, restartCount: 0, image: x, imageID: x, state: { terminated: { exitCode: 0, finishedAt: '2026-01-01T09:30:00Z' } } }]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-0
    namespace: shop
    labels: { app: web }
    ownerReferences: [{ apiVersion: apps/v1, kind: StatefulSet, name: web, uid: u3, controller: true }]
  spec: { nodeName: node-b, containers: [{ name: app, image: x }] }
  status: { phase: Running, podIP: 10.1.0.9, startTime: '2026-01-01T11:00:00Z' }
- apiVersion: v1
  kind: Service
  metadata: { name: checkout, namespace: shop }
  spec: { clusterIP: 10.96.0.10, clusterIPs: [10.96.0.10] }
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata: { name: checkout-x1, namespace: shop, labels: { kubernetes.io/service-name: checkout } }
  addressType: IPv4
  endpoints: [{ addresses: [10.1.0.5] }]
- apiVersion: v1
  kind: Node
  metadata: { name: node-a }
  status: { addresses: [{ type: InternalIP, address: 192.168.1.10 }, { type: Hostname, address: node-a }] }
- apiVersion: apps/v1
  kind: Deployment
  metadata: { name: checkout, namespace: shop }
`;

const us = (iso: string): number => Date.parse(iso) * 1000;

describe('IdentityResolver from a cluster file', () => {
  const file = parseClusterYaml(CLUSTER);
  const resolver = IdentityResolver.fromSnapshot(file.snapshot);

  test('counts kinds it does not use', () => {
    expect(file.ignored).toEqual({ Deployment: 1 });
  });

  test('a pod IP resolves to pod, workload, node, labels and the service of its endpoint slice', () => {
    expect(resolver.resolve('10.1.0.5', us('2026-01-01T12:00:00Z'))).toEqual({
      ip: '10.1.0.5',
      pod: 'checkout-7d9f8-abcde',
      namespace: 'shop',
      node: 'node-a',
      workload: { kind: 'Deployment', name: 'checkout' },
      labels: { app: 'checkout', 'pod-template-hash': '7d9f8' },
      service: 'checkout',
    });
    expect(resolver.resolve('fd00::5').pod).toBe('checkout-7d9f8-abcde');
  });

  test('a reused IP maps to the pod that held it at the time', () => {
    expect(resolver.resolve('10.1.0.9', us('2026-01-01T09:10:00Z'))).toMatchObject({
      pod: 'report-29000000-xyz12',
      workload: { kind: 'CronJob', name: 'report' },
    });
    // Between the job's end and web-0's start nobody held it.
    expect(resolver.resolve('10.1.0.9', us('2026-01-01T10:00:00Z'))).toEqual({ ip: '10.1.0.9' });
    expect(resolver.resolve('10.1.0.9', us('2026-01-01T11:00:01Z'))).toMatchObject({
      pod: 'web-0',
      workload: { kind: 'StatefulSet', name: 'web' },
    });
    expect(resolver.resolve('10.1.0.9').pod).toBe('web-0');
  });

  test('ClusterIPs resolve to services, node addresses to nodes, others stay bare', () => {
    expect(resolver.resolve('10.96.0.10')).toEqual({ ip: '10.96.0.10', namespace: 'shop', service: 'checkout' });
    expect(resolver.resolve('192.168.1.10')).toEqual({ ip: '192.168.1.10', node: 'node-a' });
    expect(resolver.resolve('8.8.8.8')).toEqual({ ip: '8.8.8.8' });
  });

  test('enrichEvent fills both ends and keeps what the source already knew', () => {
    const event: NetworkEvent = {
      kind: 'drop',
      time: us('2026-01-01T12:00:00Z'),
      transport: 'tcp',
      source: 'pcap',
      src: { ip: '10.1.0.5', port: 40000 },
      dst: { ip: '10.96.0.10', port: 443, service: 'checkout-from-hubble' },
    };
    const enriched = resolver.enrichEvent(event);
    expect(enriched.src).toMatchObject({ ip: '10.1.0.5', port: 40000, pod: 'checkout-7d9f8-abcde', node: 'node-a' });
    expect(enriched.dst).toEqual({ ip: '10.96.0.10', port: 443, namespace: 'shop', service: 'checkout-from-hubble' });
    expect(event.src.pod).toBeUndefined();
  });
});

describe('IdentityResolver fed by watch events', () => {
  const pod = (name: string, ip: string, extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({
    metadata: { name, namespace: 'shop', ...extra },
    spec: { nodeName: 'node-a', containers: [] },
    status: { phase: 'Running', podIP: ip },
  });

  test('IP reuse across pod delete and create keeps both intervals', () => {
    const resolver = new IdentityResolver();
    resolver.upsert('pods', pod('old', '10.2.0.1'), 1000);
    resolver.remove('pods', pod('old', '10.2.0.1'), 2000);
    resolver.upsert('pods', pod('new', '10.2.0.1'), 3000);
    expect(resolver.resolve('10.2.0.1', 1500).pod).toBe('old');
    expect(resolver.resolve('10.2.0.1', 2500).pod).toBeUndefined();
    expect(resolver.resolve('10.2.0.1', 3500).pod).toBe('new');
  });

  test('a missed delete is closed by the next holder, and label changes update the open interval', () => {
    const resolver = new IdentityResolver();
    resolver.upsert('pods', pod('old', '10.2.0.2'), 1000);
    resolver.upsert('pods', pod('new', '10.2.0.2'), 5000);
    resolver.upsert('pods', pod('new', '10.2.0.2', { labels: { tier: 'web' } }), 6000);
    expect(resolver.resolve('10.2.0.2', 4000).pod).toBe('old');
    expect(resolver.resolve('10.2.0.2', 5500)).toMatchObject({ pod: 'new', labels: { tier: 'web' } });
  });

  test('a pod that terminates releases its IP', () => {
    const resolver = new IdentityResolver();
    resolver.upsert('pods', pod('job', '10.2.0.3'), 1000);
    resolver.upsert('pods', { ...pod('job', '10.2.0.3'), status: { phase: 'Succeeded', podIP: '10.2.0.3' } }, 2000);
    expect(resolver.resolve('10.2.0.3', 1500).pod).toBe('job');
    expect(resolver.resolve('10.2.0.3', 2500).pod).toBeUndefined();
  });
});

describe('workloadOf', () => {
  const owned = (kind: string, name: string, labels: Record<string, string> = {}): V1Pod => ({
    metadata: { name: 'p', labels, ownerReferences: [{ apiVersion: 'v1', kind, name, uid: 'u', controller: true }] },
  });
  test.each([
    [owned('ReplicaSet', 'api-5f7b9', { 'pod-template-hash': '5f7b9' }), { kind: 'Deployment', name: 'api' }],
    [owned('ReplicaSet', 'bare-rs'), { kind: 'ReplicaSet', name: 'bare-rs' }],
    [owned('Job', 'nightly-29345678'), { kind: 'CronJob', name: 'nightly' }],
    [owned('Job', 'migrate'), { kind: 'Job', name: 'migrate' }],
    [owned('DaemonSet', 'agent'), { kind: 'DaemonSet', name: 'agent' }],
    [owned('Node', 'node-a'), undefined],
    [{ metadata: { name: 'bare' } }, undefined],
  ])('%#', (pod, expected) => {
    expect(workloadOf(pod)).toEqual(expected);
  });
});
