// The one view of the cluster that the identity and policy enrichers share: a cluster file read once, or informers
// kept current by the API server (in a cluster, or with WIRETRACE_KUBECONFIG).
import type { Registry, RegistryContentType } from 'prom-client';
import { IdentityResolver } from '../identity/resolver';
import { loadClusterFile } from '../kube/clusterFile';
import { ClusterWatcher, describeApiError } from '../kube/clusterWatcher';
import { loadKubeConfig } from '../kube/kubeConfig';
import type { ClusterSnapshot } from '../kube/model';
import type { AgentLog } from './agentLog';

export interface ClusterView {
  readonly name: string;
  // Pod, workload and service of an IP at a time.
  readonly resolver: IdentityResolver;
  // The pods, namespaces and NetworkPolicies a drop's explanation is evaluated against.
  snapshot(): ClusterSnapshot;
  // Informers start with the agent; their watch health goes to the agent's /metrics registries.
  start(registries?: Array<Registry<RegistryContentType>>): void;
  stop(): Promise<void>;
}

export function clusterViewFromFile(path: string): ClusterView {
  const { snapshot } = loadClusterFile(path);
  return {
    name: 'cluster file',
    resolver: IdentityResolver.fromSnapshot(snapshot),
    snapshot: () => snapshot,
    start: () => undefined,
    stop: async () => undefined,
  };
}

export interface LiveClusterOptions {
  // A kubeconfig file; without it the pod's service account (KUBERNETES_SERVICE_HOST).
  kubeconfig?: string;
  log: AgentLog;
  // How long the first lists may take before the log says identity stays partial; the agent never waits for them.
  syncTimeoutMs?: number;
}

export class LiveClusterView implements ClusterView {
  readonly name = 'kubernetes';
  readonly resolver = new IdentityResolver();
  private readonly kubeConfig;
  private watcher: ClusterWatcher | undefined;

  constructor(private readonly options: LiveClusterOptions) {
    this.kubeConfig = loadKubeConfig(options.kubeconfig);
  }

  snapshot(): ClusterSnapshot {
    if (!this.watcher) {
      throw new Error('the cluster informers have not started');
    }
    return this.watcher.snapshot();
  }

  start(registries?: Array<Registry<RegistryContentType>>): void {
    const watcher = new ClusterWatcher(this.kubeConfig, { observers: [this.resolver], registries });
    this.watcher = watcher;
    watcher.start();
    const { log } = this.options;
    watcher.waitForSync(this.options.syncTimeoutMs ?? 60_000).then(
      () => log('info', 'kubernetes informers synced'),
      (err: unknown) => log('error', `${describeApiError(err)}; identity stays partial until they do`)
    );
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
  }
}

// The view the config names: a cluster file (analyze --cluster overrides config.clusterFile); else, for a live agent
// inside a cluster or given WIRETRACE_KUBECONFIG, the informers; else none (events keep bare IPs).
export function clusterViewFor(
  clusterFile: string | undefined,
  live: boolean,
  env: NodeJS.ProcessEnv,
  log: AgentLog
): ClusterView | undefined {
  if (clusterFile) {
    return clusterViewFromFile(clusterFile);
  }
  const kubeconfig = env.WIRETRACE_KUBECONFIG;
  if (live && (kubeconfig || env.KUBERNETES_SERVICE_HOST)) {
    return new LiveClusterView({ kubeconfig, log });
  }
  return undefined;
}
