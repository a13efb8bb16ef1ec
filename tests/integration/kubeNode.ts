// The harness node as a Kubernetes node: the real API server (etcd and the kube-apiserver peer) in the node
// namespace holding the scenario's objects, the reference enforcer (kube-network-policies, unmodified) deciding the
// node's forwarded connections from them, and the agent in `run` mode with live informers, authenticated as the
// ServiceAccount of deploy/kubernetes/rbac.yaml with only the rights that file grants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { KubeApiServer } from '../kube/apiServer';
import { ClusterObjects } from '../kube/clusterObjects';
import { NetworkPolicyEnforcer, enforcerRbac } from '../kube/enforcer';
import { MiniCluster, type PodSpec } from '../netns/miniCluster';
import { AgentInNode } from './agentProcess';
import { clusterFileYaml, type ScenarioPod, type ServiceSpec } from './clusterFile';
import { kubePeerBinaries, REPO_ROOT } from './stackEndpoints';

export const MANIFESTS_DIR = join(REPO_ROOT, 'deploy', 'kubernetes');
const AGENT_SA = { namespace: 'wiretrace', name: 'wiretrace-agent' };
const ENFORCER_METRICS_PORT = 9080;

export interface KubeNodeOptions {
  pods: Array<PodSpec & { namespace: string; labels: { app: string } }>;
  services: Array<{ name: string; pod: string; port: number }>;
  policies?: object[];
  // Passed to the API server (see KubeApiServerOptions).
  watchCache?: boolean;
  minRequestTimeoutSeconds?: number;
}

/** The YAML documents of a manifest file as objects. */
export function manifestObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null && typeof o === 'object' && 'kind' in o);
}

export interface EnforcedControlPlane {
  api: KubeApiServer;
  admin: ClusterObjects;
  enforcer: NetworkPolicyEnforcer;
  stop(): Promise<void>;
}

/**
 * The API server in the harness node holding `objects` (pods, services, policies), and the reference enforcer
 * deciding the node's forwarded connections from them: the cluster's NetworkPolicy drops are the enforcer's.
 */
export async function startEnforcedControlPlane(
  cluster: MiniCluster,
  objects: KubernetesObject[],
  apiOptions: Pick<KubeNodeOptions, 'watchCache' | 'minRequestTimeoutSeconds'> = {}
): Promise<EnforcedControlPlane> {
  const binaries = kubePeerBinaries();
  const api = await KubeApiServer.start({
    binary: binaries.kubeApiServer,
    netns: cluster.nodeNs,
    workDir: cluster.workDir,
    ...apiOptions,
  });
  let enforcer: NetworkPolicyEnforcer | undefined;
  try {
    const admin = new ClusterObjects(api.kubeConfig());
    await admin.apply(objects);
    await admin.apply(enforcerRbac());
    enforcer = await NetworkPolicyEnforcer.start({
      binary: binaries.kubeNetworkPolicies,
      nodeNs: cluster.nodeNs,
      workDir: cluster.workDir,
      nodeName: cluster.nodeNs,
      token: await admin.serviceAccountToken('kube-system', 'kube-network-policies'),
      caPem: api.pki.caPem,
      metricsPort: ENFORCER_METRICS_PORT,
    });
    const started = enforcer;
    return {
      api,
      admin,
      enforcer: started,
      stop: async () => {
        await started.stop();
        await api.stop();
      },
    };
  } catch (err) {
    await enforcer?.stop();
    await api.stop();
    throw err;
  }
}

export class KubeNode {
  agentToken = '';

  private constructor(
    readonly cluster: MiniCluster,
    readonly api: KubeApiServer,
    readonly admin: ClusterObjects,
    readonly agent: AgentInNode,
    private readonly options: KubeNodeOptions
  ) {}

  enforcer?: NetworkPolicyEnforcer;

  static async start(options: KubeNodeOptions): Promise<KubeNode> {
    const cluster = MiniCluster.create(options.pods);
    let node: KubeNode | undefined;
    try {
      const pods = options.pods.map((p) => ({
        namespace: p.namespace,
        name: p.name,
        app: p.labels.app,
        ip: cluster.pod(p.name).ip,
      }));
      const services: ServiceSpec[] = options.services.map((s) => ({
        name: s.name,
        pod: pods.find((p) => p.name === s.pod)!,
        port: s.port,
      }));
      const plane = await startEnforcedControlPlane(
        cluster,
        (parse(clusterFileYaml(cluster.nodeNs, pods, services, options.policies ?? [])) as { items: KubernetesObject[] })
          .items,
        { watchCache: options.watchCache, minRequestTimeoutSeconds: options.minRequestTimeoutSeconds }
      );
      node = new KubeNode(cluster, plane.api, plane.admin, new AgentInNode(cluster), options);
      node.enforcer = plane.enforcer;

      // The agent's rights are exactly the repository's manifests'.
      await node.admin.apply([
        ...manifestObjects(join(MANIFESTS_DIR, 'namespace.yaml')),
        ...manifestObjects(join(MANIFESTS_DIR, 'rbac.yaml')),
      ]);
      node.agentToken = await node.admin.serviceAccountToken(AGENT_SA.namespace, AGENT_SA.name);

      for (const service of options.services) {
        await cluster.startHttpServer(service.pod, service.port);
      }
      await node.agent.start({ kubeconfig: node.api.writeKubeconfig('agent', node.agentToken, 'netns') });
      return node;
    } catch (err) {
      if (node) {
        await node.stop();
      } else {
        await cluster.destroy();
      }
      throw err;
    }
  }

  scenarioPod(name: string): ScenarioPod {
    const spec = this.options.pods.find((p) => p.name === name);
    if (!spec) {
      throw new Error(`no pod named ${name} in this node`);
    }
    return { namespace: spec.namespace, name, app: spec.labels.app, ip: this.cluster.pod(name).ip };
  }

  async stop(): Promise<void> {
    await this.agent.stop();
    await this.enforcer?.stop();
    await this.api.stop();
    await this.cluster.destroy();
  }
}
