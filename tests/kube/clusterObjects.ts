// Puts Kubernetes objects into the real API server as the missing controllers and kubelet would leave them: every
// namespace with its `default` ServiceAccount, pods with their IPs set through the status subresource, tokens
// from the TokenRequest API.
import { writeFileSync } from 'node:fs';
import {
  CoreV1Api,
  dumpYaml,
  KubernetesObjectApi,
  loadYaml,
  type KubeConfig,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';

// What `kubectl get pods,services,endpointslices,namespaces,nodes,networkpolicies -A -o yaml` lists.
const SNAPSHOT_KINDS: Array<[string, string]> = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
  ['v1', 'Namespace'],
  ['v1', 'Node'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
];

export class ClusterObjects {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;

  constructor(config: KubeConfig) {
    this.objects = KubernetesObjectApi.makeApiClient(config);
    this.core = config.makeApiClient(CoreV1Api);
  }

  /** Creates each object in order; a Pod's status (podIP, podIPs, phase) is written through /status after it. */
  async apply(items: KubernetesObject[]): Promise<void> {
    for (const item of items) {
      if (item.kind === 'Namespace') {
        await this.ensureNamespace(item.metadata!.name!, item.metadata?.labels);
      } else if (item.kind === 'Pod') {
        await this.createPod(item as V1Pod);
      } else {
        await this.objects.create(typedObject(withoutServerFields(item)));
      }
    }
  }

  /** A namespace and the `default` ServiceAccount the ServiceAccount admission plugin needs for its pods. */
  async ensureNamespace(name: string, labels?: Record<string, string>): Promise<void> {
    await ignoreConflict(
      this.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } } as KubernetesObject)
    );
    await ignoreConflict(
      this.core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } })
    );
  }

  /** Creates the pod, then sets its status as the kubelet would once its sandbox has an address. */
  async createPod(pod: V1Pod): Promise<V1Pod> {
    const { status, ...spec } = typedObject(withoutServerFields(pod)) as V1Pod;
    const created = await this.core.createNamespacedPod({ namespace: pod.metadata!.namespace!, body: spec });
    if (!status) {
      return created;
    }
    return this.core.replaceNamespacedPodStatus({
      name: created.metadata!.name!,
      namespace: created.metadata!.namespace!,
      body: { ...created, status: { ...created.status, ...status } },
    });
  }

  async delete(item: KubernetesObject): Promise<void> {
    await this.objects.delete(item, undefined, undefined, 0);
  }

  /** Server-side dry run: the API server validates and admits the object, and stores nothing. */
  async dryRunCreate(item: KubernetesObject): Promise<KubernetesObject> {
    return this.objects.create(typedObject(withoutServerFields(item)), undefined, 'All');
  }

  /** The objects the agent's `explain --cluster` reads, as the API server holds them now, written as a List. */
  async writeClusterFile(file: string): Promise<string> {
    const items: KubernetesObject[] = [];
    for (const [apiVersion, kind] of SNAPSHOT_KINDS) {
      const list = await this.objects.list(apiVersion, kind);
      items.push(...list.items.map((item) => wireObject({ ...item, apiVersion, kind })));
    }
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items }));
    return file;
  }

  /** A token of the ServiceAccount, as a projected volume would hold it. */
  async serviceAccountToken(namespace: string, name: string): Promise<string> {
    const answer = await this.core.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: { spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600 } },
    });
    const token = answer.status?.token;
    if (!token) {
      throw new Error(`the API server issued no token for ${namespace}/${name}`);
    }
    return token;
  }
}

// The typed client serializes by its models, whose names differ from the API's where a field name is a keyword
// (`from` is `_from`): an object written as the API spells it is read into the model first, or such fields vanish.
export function typedObject<T extends KubernetesObject>(item: T): T {
  return loadYaml<T>(JSON.stringify(item));
}

// Back to the API's spelling, as `kubectl get -o yaml` writes it.
function wireObject(item: KubernetesObject): KubernetesObject {
  return parse(dumpYaml(item)) as KubernetesObject;
}

function withoutServerFields<T extends KubernetesObject>(item: T): T {
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...metadata } = item.metadata ?? {};
  return { ...item, metadata };
}

async function ignoreConflict(created: Promise<unknown>): Promise<void> {
  try {
    await created;
  } catch (err) {
    if ((err as { code?: number }).code !== 409) {
      throw err;
    }
  }
}
