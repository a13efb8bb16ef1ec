// The cluster view the identity and policy enrichers share, as the assembly builds it: a cluster file, or live
// informers against a (fake) API server, and which one the config and environment select.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import { FakeApiServer } from '../testkit/fakeApiServer';
import { clusterViewFor, clusterViewFromFile, LiveClusterView } from './clusterView';
import { identityEnricher, policyEnricher } from './enrichers';

const SHOP = join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml');

function drop(src: string, dst: string, port: number): NetworkEvent {
  return {
    kind: 'drop',
    time: Date.now() * 1000,
    transport: 'tcp',
    source: 'pcap',
    src: { ip: src, port: 40000 },
    dst: { ip: dst, port },
    drop: { reason: 'unanswered_syn', verdict: 'dropped' },
  };
}

function kubeconfigFor(url: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wiretrace-view-')), 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      // Plain HTTP on loopback; the client only permits it with TLS verification switched off.
      `clusters: [{ name: local, cluster: { server: "${url}", insecure-skip-tls-verify: true } }]`,
      'users: [{ name: agent, user: { token: test-token } }]',
      'contexts: [{ name: local, context: { cluster: local, user: agent } }]',
      'current-context: local',
    ].join('\n')
  );
  return path;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const EMPTY_LISTS = [
  ['/api/v1/services', 'ServiceList'],
  ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList'],
  ['/api/v1/namespaces', 'NamespaceList'],
  ['/api/v1/nodes', 'NodeList'],
];

test('a cluster file gives drops their pods and their policy explanation', () => {
  const view = clusterViewFromFile(SHOP);
  const event = drop('10.42.0.11', '10.42.1.21', 8443);
  identityEnricher(view).enrich(event);
  policyEnricher(view).enrich(event);
  expect(event.src.pod).toBeDefined();
  expect(event.drop?.policy?.ingress.policies).toEqual(['shop/default-deny', 'shop/payments-allow-checkout']);
});

test('the config and environment select the view: a file first, informers only for a live agent in a cluster', () => {
  const log = () => undefined;
  expect(clusterViewFor(SHOP, true, { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, log)?.name).toBe('cluster file');
  expect(clusterViewFor(undefined, true, {}, log)).toBeUndefined();
  expect(clusterViewFor(undefined, false, { WIRETRACE_KUBECONFIG: '/nonexistent' }, log)).toBeUndefined();
});

test('live informers enrich identity and explain drops, with watch health on the agent registries', async () => {
  const server = new FakeApiServer();
  server.setList('/api/v1/pods', 'PodList', '5', [
    {
      metadata: {
        name: 'web-0',
        namespace: 'prod',
        labels: { app: 'web' },
        resourceVersion: '4',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }],
      },
      spec: { nodeName: 'n1', containers: [] },
      status: { phase: 'Running', podIP: '10.7.0.1' },
    },
    {
      metadata: { name: 'db', namespace: 'prod', labels: { app: 'db' }, resourceVersion: '5' },
      spec: { nodeName: 'n1', containers: [] },
      status: { phase: 'Running', podIP: '10.7.0.2' },
    },
  ]);
  server.setList('/apis/networking.k8s.io/v1/networkpolicies', 'NetworkPolicyList', '5', [
    {
      metadata: { name: 'db-deny', namespace: 'prod', resourceVersion: '3' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
    },
  ]);
  for (const [path, kind] of EMPTY_LISTS) {
    server.setList(path, kind, '5', []);
  }
  const url = await server.start();
  const logged: string[] = [];
  const view = clusterViewFor(undefined, true, { WIRETRACE_KUBECONFIG: kubeconfigFor(url) }, (_l, m) => logged.push(m));
  expect(view).toBeInstanceOf(LiveClusterView);
  const registry = new Registry();
  try {
    view!.start([registry]);
    await waitFor(() => logged.includes('kubernetes informers synced'), 'the informers to sync');
    const event = drop('10.7.0.1', '10.7.0.2', 5432);
    identityEnricher(view!).enrich(event);
    policyEnricher(view!).enrich(event);
    expect(event.src).toMatchObject({ pod: 'web-0', namespace: 'prod', node: 'n1', workload: { kind: 'StatefulSet' } });
    expect(event.drop?.policy).toMatchObject({ allowed: false, ingress: { policies: ['prod/db-deny'] } });
    expect(await registry.getSingleMetricAsString('wiretrace_kube_watch_up')).toContain(
      'wiretrace_kube_watch_up{resource="pods"} 1'
    );
  } finally {
    await view!.stop();
    await server.stop();
  }
});

test('an API server that never answers leaves identity partial and says why, per resource', async () => {
  const server = new FakeApiServer();
  const url = await server.start();
  const logged: string[] = [];
  const view = new LiveClusterView({
    kubeconfig: kubeconfigFor(url),
    log: (_l, m) => logged.push(m),
    syncTimeoutMs: 1500,
  });
  try {
    view.start();
    await waitFor(() => logged.length > 0, 'the sync outcome');
    expect(logged[0]).toContain('cluster informers did not sync within 1500 ms: pods (HTTP 404 NotFound)');
    expect(logged[0]).toContain('identity stays partial until they do');
    // Events still pass: an unknown IP keeps its bare address.
    const event = drop('10.9.9.9', '10.9.9.8', 80);
    identityEnricher(view).enrich(event);
    expect(event.src.pod).toBeUndefined();
  } finally {
    await view.stop();
    await server.stop();
  }
});
