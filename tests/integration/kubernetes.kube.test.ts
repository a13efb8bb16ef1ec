// The agent against a real Kubernetes API server, with drops decided by the reference NetworkPolicy enforcer: its
// informers see a policy added while it captures, a pod IP reused by a new pod, and a watch resumed from a compacted
// revision (410 Gone); its ServiceAccount has exactly the rights of deploy/kubernetes/rbac.yaml; the manifests pass a
// server-side dry run; and for every flow, what the enforcer did agrees with what the agent said.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { NetworkEvent } from '../../model/events';
import { hasCommand } from '../netns/shell';
import { NODE_JS } from '../netns/miniCluster';
import { AGENT_BUNDLE } from './agentProcess';
import { paymentsIngressPolicy, type ScenarioPod } from './clusterFile';
import { agreementTable, ForwardedSynCapture, judgeFlows, type ScenarioFlow } from './enforcerAgreement';
import { typedObject } from '../kube/clusterObjects';
import { KubeNode, MANIFESTS_DIR, manifestObjects } from './kubeNode';

const skipReason =
  process.getuid?.() !== 0 ? 'needs root' : !hasCommand('etcd') ? 'etcd (Debian etcd-server) is not installed' : '';
const describeKube = skipReason ? describe.skip : describe;

const NAMESPACE = 'shop';
const PAYMENTS_PORT = 8443;
const CATALOG_PORT = 8080;
const PODS = {
  frontend: 'frontend-7d9f8c6b5-x2x9q',
  checkout: 'checkout-5f6d7c8b9-m3k8s',
  payments: 'payments-5c7b9d8f4-kq2lm',
  catalog: 'catalog-6f8d7c5b9-p4n7r',
};
const REUSED_CATALOG = 'catalog-6f8d7c5b9-z8w2x';
const AGENT_USER = 'system:serviceaccount:wiretrace:wiretrace-agent';
// The six kinds the agent's informers list and watch.
const AGENT_READS: Array<[string, string]> = [
  ['', 'pods'],
  ['', 'services'],
  ['', 'namespaces'],
  ['', 'nodes'],
  ['discovery.k8s.io', 'endpointslices'],
  ['networking.k8s.io', 'networkpolicies'],
];

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

describeKube('the agent on a real API server, drops decided by kube-network-policies', () => {
  let node: KubeNode;
  let capture: ForwardedSynCapture;
  const flows: ScenarioFlow[] = [];
  const pod = (key: keyof typeof PODS): ScenarioPod => node.scenarioPod(PODS[key]);

  // One HTTP call from a pod, after asking `wiretrace-agent explain` about it on the API server's objects of now.
  async function call(label: string, client: ScenarioPod, server: ScenarioPod, port: number): Promise<ScenarioFlow> {
    const clusterFile = await node.admin.writeClusterFile(join(node.cluster.workDir, `cluster-${flows.length}.yaml`));
    const answer = JSON.parse(
      execFileSync(NODE_JS, [
        AGENT_BUNDLE,
        'explain',
        '--cluster',
        clusterFile,
        '--from',
        `${client.namespace}/${client.name}`,
        '--to',
        `${server.namespace}/${server.name}`,
        '--port',
        String(port),
      ]).toString()
    ) as { allowed: boolean; ingress: { policies: string[] }; egress: { policies: string[] } };
    const [record] = await node.cluster.runHttpClient(client.name, [
      {
        url: `http://${server.ip}:${port}/status/200`,
        method: 'GET',
        propagation: 'traceparent',
        traceId: randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        timeoutMs: 3000,
      },
    ]);
    const flow: ScenarioFlow = {
      label,
      clientIp: client.ip,
      srcPort: record.srcPort,
      serverIp: server.ip,
      serverPort: port,
      startUs: record.startUs,
      endUs: record.endUs,
      outcome: record.status !== undefined ? String(record.status) : (record.error ?? 'unknown'),
      explained: { allowed: answer.allowed, policies: [...answer.ingress.policies, ...answer.egress.policies] },
    };
    flows.push(flow);
    return flow;
  }

  // The agent's events about one flow (matched by its source port), once one satisfies `wanted`.
  async function agentEventOf(flow: ScenarioFlow, wanted: (e: NetworkEvent) => boolean): Promise<NetworkEvent> {
    return node.agent.waitForEvent(
      { limit: '5000' },
      (e) => e.src.ip === flow.clientIp && e.src.port === flow.srcPort && e.dst.port === flow.serverPort && wanted(e),
      60_000
    );
  }

  async function agentMetric(name: string, labels: Record<string, string>): Promise<number> {
    return metricValue(await node.agent.metrics(), name, labels);
  }

  beforeAll(async () => {
    node = await KubeNode.start({
      pods: [
        { name: PODS.frontend, namespace: NAMESPACE, host: 10, network: 'local', labels: { app: 'frontend' } },
        { name: PODS.checkout, namespace: NAMESPACE, host: 11, network: 'local', labels: { app: 'checkout' } },
        { name: PODS.payments, namespace: NAMESPACE, host: 20, network: 'remote', labels: { app: 'payments' } },
        { name: PODS.catalog, namespace: NAMESPACE, host: 30, network: 'remote', labels: { app: 'catalog' } },
      ],
      services: [
        { name: 'payments', pod: PODS.payments, port: PAYMENTS_PORT },
        { name: 'catalog', pod: PODS.catalog, port: CATALOG_PORT },
      ],
      // Watches read etcd itself and end every few seconds, so a compaction turns the next resume into 410 Gone.
      watchCache: false,
      minRequestTimeoutSeconds: 5,
    });
    capture = new ForwardedSynCapture(node.cluster);
    await capture.start();
    await until('the agent informers to sync', async () =>
      node.agent.stderr.includes('kubernetes informers synced') ? true : undefined
    );
  }, 900_000);

  afterAll(async () => {
    await capture?.stop();
    await node?.stop();
  }, 120_000);

  it('the agent, as the wiretrace-agent ServiceAccount of deploy/kubernetes, lists and watches all six kinds', async () => {
    const metrics = await node.agent.metrics();
    for (const resource of ['pods', 'services', 'endpointSlices', 'namespaces', 'nodes', 'networkPolicies']) {
      expect({ resource, errors: metricValue(metrics, 'wiretrace_kube_watch_errors_total', { resource }) }).toEqual({
        resource,
        errors: 0,
      });
    }
    expect(node.agent.stderr).not.toMatch(/HTTP 403/);
  });

  it('RBAC: every read the agent needs is allowed to its ServiceAccount, and a write is forbidden', async () => {
    const authz = node.api.kubeConfig().makeApiClient(AuthorizationV1Api);
    const denied: string[] = [];
    for (const [group, resource] of AGENT_READS) {
      for (const verb of ['get', 'list', 'watch']) {
        const review = await authz.createSubjectAccessReview({
          body: { spec: { user: AGENT_USER, resourceAttributes: { group, resource, verb } } },
        });
        if (!review.status?.allowed) {
          denied.push(`${verb} ${group || 'core'}/${resource}`);
        }
      }
    }
    expect(denied).toEqual([]);
    const asAgent = node.api.kubeConfig(node.agentToken).makeApiClient(CoreV1Api);
    await expect(
      asAgent.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: 'written-by-agent' } } })
    ).rejects.toMatchObject({ code: 403 });
    await expect(asAgent.deleteNamespacedPod({ name: PODS.payments, namespace: NAMESPACE })).rejects.toMatchObject({
      code: 403,
    });
  });

  it('deploy/kubernetes: every manifest passes a server-side apply dry run, and nothing is stored', async () => {
    const objects = KubernetesObjectApi.makeApiClient(node.api.kubeConfig());
    const files = readdirSync(MANIFESTS_DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    const applied: string[] = [];
    for (const file of files) {
      for (const item of manifestObjects(join(MANIFESTS_DIR, file))) {
        const answer = await objects.patch(
          typedObject(item),
          undefined,
          'All',
          'wiretrace-tests',
          true,
          PatchStrategy.ServerSideApply
        );
        expect(answer.kind).toBe(item.kind);
        applied.push(`${item.kind}/${item.metadata?.name}`);
      }
    }
    expect(applied).toEqual(expect.arrayContaining(['DaemonSet/wiretrace-agent', 'ConfigMap/wiretrace-agent']));
    const daemonSet = manifestObjects(join(MANIFESTS_DIR, 'daemonset.yaml'))[0] as KubernetesObject;
    await expect(objects.read(daemonSet as never)).rejects.toMatchObject({ code: 404 });
  });

  it('without a policy the enforcer forwards frontend → payments:8443, and the agent reports no drop', async () => {
    const flow = await call('frontend → payments, no policy', pod('frontend'), pod('payments'), PAYMENTS_PORT);
    expect(flow.outcome).toBe('200');
    const event = await agentEventOf(flow, (e) => e.kind === 'http' || e.kind === 'flow');
    expect(event.dst).toMatchObject({ pod: PODS.payments, namespace: NAMESPACE });
    const verdicts = node.enforcer!.verdictsFor(flow.clientIp, flow.serverIp, PAYMENTS_PORT);
    if (verdicts.length === 0) {
      console.log(`no enforcer verdict for ${flow.label}:\n${node.enforcer!.diagnostics()}`);
    }
    expect(verdicts.map((v) => v.verdict)).toContain('accept');
  });

  it('a policy added while capturing: the enforcer drops frontend → payments:8443, the next drop names the policy', async () => {
    const policy = paymentsIngressPolicy(pod('payments'), PAYMENTS_PORT) as KubernetesObject;
    const before = await agentMetric('wiretrace_kube_watch_events_total', {
      resource: 'networkPolicies',
      type: 'ADDED',
    });
    await node.admin.apply([policy]);
    await until('the agent to see the policy', async () =>
      (await agentMetric('wiretrace_kube_watch_events_total', { resource: 'networkPolicies', type: 'ADDED' })) > before
        ? true
        : undefined
    );
    const denied = await call('frontend → payments, policy', pod('frontend'), pod('payments'), PAYMENTS_PORT);
    expect(denied.outcome).toBe('ETIMEDOUT');
    const drop = await agentEventOf(denied, (e) => e.kind === 'drop');
    expect(drop.drop?.reason).toBe('unanswered_syn');
    expect(drop.src).toMatchObject({ pod: PODS.frontend });
    expect(drop.drop?.policy?.allowed).toBe(false);
    expect(JSON.stringify(drop.drop?.policy?.ingress.policies)).toContain('payments-allow-checkout');
    const verdicts = node.enforcer!.verdictsFor(denied.clientIp, denied.serverIp, PAYMENTS_PORT);
    expect(verdicts.filter((v) => v.srcPort === denied.srcPort).map((v) => v.verdict)).toContain('drop');

    const allowed = await call('checkout → payments, policy', pod('checkout'), pod('payments'), PAYMENTS_PORT);
    expect(allowed.outcome).toBe('200');
  });

  it('a pod IP reused by a new pod: the event before keeps the old pod, the event after names the new one', async () => {
    const first = await call('frontend → catalog, first pod', pod('frontend'), pod('catalog'), CATALOG_PORT);
    expect(first.outcome).toBe('200');
    const before = await agentEventOf(first, (e) => e.kind === 'http' || e.kind === 'flow');
    expect(before.dst.pod).toBe(PODS.catalog);

    const catalog = pod('catalog');
    const deletes = await agentMetric('wiretrace_kube_watch_events_total', { resource: 'pods', type: 'DELETED' });
    await node.admin.delete({ apiVersion: 'v1', kind: 'Pod', metadata: { name: catalog.name, namespace: NAMESPACE } });
    await node.admin.createPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: REUSED_CATALOG, namespace: NAMESPACE, labels: { app: 'catalog', generation: 'second' } },
      spec: { nodeName: node.cluster.nodeNs, containers: [{ name: 'catalog', image: 'registry.local/catalog:2' }] },
      status: { phase: 'Running', podIP: catalog.ip, podIPs: [{ ip: catalog.ip }] },
    });
    await until('the agent to see the pods change', async () =>
      (await agentMetric('wiretrace_kube_watch_events_total', { resource: 'pods', type: 'DELETED' })) > deletes
        ? true
        : undefined
    );
    const reused = { ...catalog, name: REUSED_CATALOG };
    const second = await call('frontend → catalog, reused IP', pod('frontend'), reused, CATALOG_PORT);
    const after = await agentEventOf(
      second,
      (e) => (e.kind === 'http' || e.kind === 'flow') && e.dst.pod !== undefined
    );
    expect(after.dst.pod).toBe(REUSED_CATALOG);
    const again = await agentEventOf(first, (e) => e.kind === before.kind && e.time === before.time);
    expect(again.dst.pod).toBe(PODS.catalog);
  });

  it('410 Gone: a cut watch resumed from a compacted revision relists, counted, with identity kept', async () => {
    const labels = { resource: 'pods' };
    const relists = await agentMetric('wiretrace_kube_relists_total', labels);
    const gone = await agentMetric('wiretrace_kube_watch_events_total', { ...labels, type: 'ERROR' });
    // Writes the agent does not watch move etcd past its pods watch's revision; compaction then drops that revision.
    for (const name of ['revision-a', 'revision-b']) {
      await node.admin.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NAMESPACE } }]);
    }
    await node.api.compactEtcd(await node.api.etcdRevision());
    await until('the agent to relist pods', async () =>
      (await agentMetric('wiretrace_kube_relists_total', labels)) > relists ? true : undefined
    );
    expect(await agentMetric('wiretrace_kube_watch_events_total', { ...labels, type: 'ERROR' })).toBeGreaterThan(gone);
    expect(node.api.apiServerLog + node.agent.stderr).not.toMatch(/panic/);

    const reused = { ...pod('catalog'), name: REUSED_CATALOG };
    const flow = await call('frontend → catalog, after relist', pod('frontend'), reused, CATALOG_PORT);
    const event = await agentEventOf(flow, (e) => (e.kind === 'http' || e.kind === 'flow') && e.dst.pod !== undefined);
    expect(event.dst.pod).toBe(REUSED_CATALOG);
    expect(event.src.pod).toBe(PODS.frontend);
  });

  it('every flow: what the enforcer did agrees with what the agent said', async () => {
    await capture.stop();
    const drops = (await node.agent.events({ kind: 'drop', limit: '5000' })).events;
    const judgements = judgeFlows(flows, node.enforcer!.verdicts(), capture.syns(), drops);
    console.log(agreementTable(judgements));
    expect(judgements.length).toBeGreaterThanOrEqual(6);
    expect(judgements.filter((j) => !j.agrees).map((j) => j.flow.label)).toEqual([]);
    expect(judgements.some((j) => j.enforcer === 'drop')).toBe(true);
    expect(judgements.some((j) => j.enforcer === 'accept')).toBe(true);
  });
});
