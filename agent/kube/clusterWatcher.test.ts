// The real client library's informers, over a real socket, against a local server speaking list/watch.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { IdentityResolver } from '../identity/resolver';
import { explainConnection } from '../policy/explain';
import { ClusterWatcher } from './clusterWatcher';
import { FakeApiServer } from '../testkit/fakeApiServer';
import { loadKubeConfig } from './kubeConfig';

const PODS = '/api/v1/pods';
const POLICIES = '/apis/networking.k8s.io/v1/networkpolicies';

function pod(name: string, ip: string, resourceVersion: string, labels: Record<string, string> = { app: name }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', resourceVersion, uid: `uid-${name}`, labels },
    spec: { nodeName: 'node-a', containers: [{ name: 'app', image: 'app' }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

// Waits for state; the bound only ends a hang, long enough for a fully busy machine.
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ value: number; labels: Record<string, string | number> }>;
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe('ClusterWatcher against a list/watch server on 127.0.0.1', () => {
  const server = new FakeApiServer();
  let watcher: ClusterWatcher;
  let registry: Registry;
  const resolver = new IdentityResolver();

  beforeAll(async () => {
    server.setList(PODS, 'PodList', '100', [pod('checkout', '10.3.0.1', '90'), pod('cart', '10.3.0.2', '95')]);
    server.setList('/api/v1/services', 'ServiceList', '100', []);
    server.setList('/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList', '100', []);
    server.setList('/api/v1/namespaces', 'NamespaceList', '100', [
      { metadata: { name: 'shop', resourceVersion: '1' } },
    ]);
    server.setList('/api/v1/nodes', 'NodeList', '100', []);
    server.setList(POLICIES, 'NetworkPolicyList', '100', []);
    const url = await server.start();
    const dir = mkdtempSync(join(tmpdir(), 'wiretrace-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
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
    registry = new Registry();
    watcher = new ClusterWatcher(loadKubeConfig(kubeconfig), {
      observers: [resolver],
      registries: [registry],
      backoffBaseMs: 50,
      backoffMaxMs: 200,
    });
    watcher.start();
    await watcher.waitForSync(10_000);
  });

  afterAll(async () => {
    await watcher.stop();
    await server.stop();
  });

  test('the initial list fills identity, then watch events update it', async () => {
    expect(resolver.resolve('10.3.0.1').pod).toBe('checkout');
    await waitFor('the pod watch', () => server.watcherCount(PODS) === 1);
    const watchRequest = server.requests.find((r) => r.path === PODS && r.watch);
    expect(watchRequest).toMatchObject({ resourceVersion: '100', allowWatchBookmarks: 'true' });

    server.push(PODS, { type: 'ADDED', object: pod('payments', '10.3.0.3', '101') });
    await waitFor('payments', () => resolver.resolve('10.3.0.3').pod === 'payments');
    expect(
      watcher
        .snapshot()
        .pods.map((p) => p.metadata?.name)
        .sort()
    ).toEqual(['cart', 'checkout', 'payments']);
  });

  test('a bookmark advances the resourceVersion the next watch resumes from', async () => {
    server.push(PODS, {
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '150' } },
    });
    await waitFor(
      'bookmark counted',
      async () =>
        (await metricValue(registry, 'wiretrace_kube_watch_events_total', { resource: 'pods', type: 'BOOKMARK' })) === 1
    );
    server.closeWatches(PODS);
    await waitFor('watch resumed', () => server.watcherCount(PODS) === 1);
    const last = server.requests.filter((r) => r.path === PODS && r.watch).at(-1);
    expect(last?.resourceVersion).toBe('150');
    expect(
      await metricValue(registry, 'wiretrace_kube_watch_reconnects_total', { resource: 'pods' })
    ).toBeGreaterThanOrEqual(1);
  });

  test('a dropped connection is resumed and an IP reused across delete and create maps by time', async () => {
    server.closeWatches(PODS, true);
    await waitFor('watch reopened after the drop', () => server.watcherCount(PODS) === 1);
    const beforeDelete = Date.now() * 1000;
    await new Promise((r) => setTimeout(r, 5));
    server.push(PODS, { type: 'DELETED', object: pod('checkout', '10.3.0.1', '160') });
    await waitFor('checkout released', () => resolver.resolve('10.3.0.1').pod === undefined);
    server.push(PODS, { type: 'ADDED', object: pod('search', '10.3.0.1', '161') });
    await waitFor('search holds the IP', () => resolver.resolve('10.3.0.1').pod === 'search');
    expect(resolver.resolve('10.3.0.1', beforeDelete).pod).toBe('checkout');
  });

  test('410 Gone forces a relist that drops what was deleted while unseen', async () => {
    server.setList(PODS, 'PodList', '300', [
      pod('search', '10.3.0.1', '161'),
      pod('payments', '10.3.0.3', '101'),
      pod('reviews', '10.3.0.4', '290'),
    ]);
    server.push(PODS, {
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' },
    });
    server.closeWatches(PODS);
    await waitFor(
      'relist',
      async () => (await metricValue(registry, 'wiretrace_kube_relists_total', { resource: 'pods' })) === 1
    );
    await waitFor('reviews listed', () => resolver.resolve('10.3.0.4').pod === 'reviews');
    expect(resolver.resolve('10.3.0.2').pod).toBeUndefined();
    await waitFor('watch from the new list', () =>
      server.requests.some((r) => r.path === PODS && r.watch && r.resourceVersion === '300')
    );
  });

  test('a failing API server is retried with backoff and counted, and policies arrive live', async () => {
    server.failLists(POLICIES, 500);
    server.push(POLICIES, {
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410 },
    });
    server.closeWatches(POLICIES);
    await waitFor(
      'errors counted',
      async () =>
        (await metricValue(registry, 'wiretrace_kube_watch_errors_total', { resource: 'networkPolicies' })) >= 2
    );
    expect(watcher.health().networkPolicies.consecutiveErrors).toBeGreaterThanOrEqual(2);
    server.setList(POLICIES, 'NetworkPolicyList', '400', [
      {
        metadata: { name: 'deny-all', namespace: 'shop', resourceVersion: '399' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] },
      },
    ]);
    server.failLists(POLICIES, undefined);
    await waitFor('policy listed', () => watcher.snapshot().networkPolicies.length === 1);
    const explanation = explainConnection(watcher.snapshot(), 'shop/search', 'shop/payments', 8080);
    expect(explanation.allowed).toBe(false);
    expect(explanation.ingress.policies).toEqual(['shop/deny-all']);
    expect(watcher.health().networkPolicies).toMatchObject({ synced: true, stale: false, consecutiveErrors: 0 });
    expect(await metricValue(registry, 'wiretrace_kube_watch_up', { resource: 'networkPolicies' })).toBe(1);
  });
});
