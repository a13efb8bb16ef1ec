// Live mode: an IdentityResolver (and a policy snapshot source) kept current by the cluster informers.
import type { Registry, RegistryContentType } from 'prom-client';
import { ClusterWatcher } from '../kube/clusterWatcher';
import { loadKubeConfig } from '../kube/kubeConfig';
import { IdentityResolver } from './resolver';

export interface LiveIdentity {
  resolver: IdentityResolver;
  // watcher.snapshot() feeds explainConnection; watcher.health()/isStale() feed /healthz.
  watcher: ClusterWatcher;
}

// Starts the informers (in-cluster service account, or the kubeconfig given) and waits for their first lists.
export async function startLiveIdentity(
  options: { kubeconfig?: string; registries?: Array<Registry<RegistryContentType>>; syncTimeoutMs?: number } = {}
): Promise<LiveIdentity> {
  const resolver = new IdentityResolver();
  const watcher = new ClusterWatcher(loadKubeConfig(options.kubeconfig), {
    observers: [resolver],
    registries: options.registries,
  });
  watcher.start();
  try {
    await watcher.waitForSync(options.syncTimeoutMs ?? 30_000);
  } catch (err) {
    await watcher.stop();
    throw err;
  }
  return { resolver, watcher };
}
