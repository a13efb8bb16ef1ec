// The Kubernetes enrichers as the pipeline installs them: policy from a cluster file, identity and policy live.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import { defaultAgentConfig } from '../config';
import { FakeApiServer } from '../testkit/fakeApiServer';
import type { ClusterWatcher } from '../kube/clusterWatcher';
import { ShedCounters } from '../metrics/agentMetrics';
import type { EventEnricher, PacketPipeline } from '../pipeline';
import { installExtensions, type ExtensionContext } from '../pipelineExtensions';
import './kubernetesEnrichers';

const SHOP = join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml');

async function enrichersFor(ctx: Partial<ExtensionContext>): Promise<EventEnricher[]> {
  const enrichers: EventEnricher[] = [];
  const pipeline = {
    addEnricher: (e: EventEnricher) => enrichers.push(e),
    addSink: () => undefined,
  } as unknown as PacketPipeline;
  await installExtensions(pipeline, {
    mode: 'analyze',
    config: defaultAgentConfig(),
    shed: new ShedCounters(),
    log: () => undefined,
    ...ctx,
  });
  return enrichers;
}

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

test('without a cluster nothing is installed', async () => {
  expect(await enrichersFor({})).toEqual([]);
});

test('with a cluster file, drops get their policy explanation', async () => {
  const [policy] = await enrichersFor({ clusterFile: SHOP });
  const event = drop('10.42.0.11', '10.42.1.21', 8443);
  policy.enrich(event);
  expect(event.drop?.policy?.ingress.policies).toEqual(['shop/default-deny', 'shop/payments-allow-checkout']);
});

test('in run mode with a kubeconfig, live informers enrich identity and explain drops', async () => {
  const server = new FakeApiServer();
  server.setList('/api/v1/pods', 'PodList', '5', [
    {
      metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' }, resourceVersion: '4' },
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
  for (const [path, kind] of [
    ['/api/v1/services', 'ServiceList'],
    ['/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSliceList'],
    ['/api/v1/namespaces', 'NamespaceList'],
    ['/api/v1/nodes', 'NodeList'],
  ]) {
    server.setList(path, kind, '5', []);
  }
  const url = await server.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'wiretrace-enrich-')), 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{ name: l, cluster: { server: "${url}", insecure-skip-tls-verify: true } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: l, context: { cluster: l, user: u } }]\ncurrent-context: l\n`
  );
  process.env.WIRETRACE_KUBECONFIG = kubeconfig;
  try {
    const registry = new Registry();
    const [live] = (await enrichersFor({ mode: 'run', registries: [registry] })) as Array<
      EventEnricher & { watcher: ClusterWatcher }
    >;
    expect(live.name).toBe('kubernetes');
    await live.watcher.waitForSync(10_000);
    const event = drop('10.7.0.1', '10.7.0.2', 5432);
    live.enrich(event);
    expect(event.src).toMatchObject({ pod: 'web', namespace: 'prod', node: 'n1' });
    expect(event.drop?.policy).toMatchObject({ allowed: false, ingress: { policies: ['prod/db-deny'] } });
    // Watch health lands on the agent's own /metrics registries.
    expect(await registry.getSingleMetricAsString('wiretrace_kube_watch_up')).toContain(
      'wiretrace_kube_watch_up{resource="pods"} 1'
    );
    await live.watcher.stop();
  } finally {
    delete process.env.WIRETRACE_KUBECONFIG;
    await server.stop();
  }
});
