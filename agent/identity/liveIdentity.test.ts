import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '../testkit/fakeApiServer';
import { startLiveIdentity } from './liveIdentity';

function kubeconfigFor(url: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wiretrace-live-')), 'config');
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

test('starts informers from a kubeconfig and resolves pods once synced', async () => {
  const server = new FakeApiServer();
  server.setList('/api/v1/pods', 'PodList', '7', [
    {
      metadata: {
        name: 'api-0',
        namespace: 'prod',
        resourceVersion: '7',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'api', uid: 'u', controller: true }],
      },
      spec: { nodeName: 'node-1', containers: [] },
      status: { phase: 'Running', podIP: '10.9.0.1' },
    },
  ]);
  for (const [path, kind] of [
    ['/api/v1/services', 'ServiceList'],
    ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList'],
    ['/api/v1/namespaces', 'NamespaceList'],
    ['/api/v1/nodes', 'NodeList'],
    ['/apis/networking.k8s.io/v1/networkpolicies', 'NetworkPolicyList'],
  ]) {
    server.setList(path, kind, '7', []);
  }
  const url = await server.start();
  const { resolver, watcher } = await startLiveIdentity({ kubeconfig: kubeconfigFor(url) });
  try {
    expect(resolver.resolve('10.9.0.1')).toMatchObject({
      pod: 'api-0',
      namespace: 'prod',
      workload: { kind: 'StatefulSet', name: 'api' },
    });
    expect(watcher.isStale()).toBe(false);
  } finally {
    await watcher.stop();
    await server.stop();
  }
});

test('an API server that never answers fails the start with the reason per resource', async () => {
  const server = new FakeApiServer();
  const url = await server.start();
  await expect(startLiveIdentity({ kubeconfig: kubeconfigFor(url), syncTimeoutMs: 1500 })).rejects.toThrow(
    'cluster informers did not sync within 1500 ms: pods (HTTP 404 NotFound), services (HTTP 404 NotFound)'
  );
  await server.stop();
});
