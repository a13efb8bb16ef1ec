// Registers the Kubernetes enrichers with the pipeline (import this module for its side effect, after
// ../pipelineIdentity so identity runs before policy):
//   - "policy": drops get their NetworkPolicy explanation from the --cluster file / config.clusterFile;
//   - "kubernetes": `run` inside a cluster (KUBERNETES_SERVICE_HOST set) or with WIRETRACE_KUBECONFIG, and no
//     cluster file: live informers give identity and policy explanations; the agent starts without waiting for them.
import { registerEnricher, type ExtensionContext } from '../pipelineExtensions';
import { loadClusterFile } from '../kube/clusterFile';
import { ClusterWatcher, describeApiError } from '../kube/clusterWatcher';
import { loadKubeConfig } from '../kube/kubeConfig';
import { attachDropExplanation } from '../policy/dropExplanation';
import { IdentityResolver } from './resolver';

registerEnricher('policy', (ctx) => {
  if (!ctx.clusterFile) {
    return undefined;
  }
  const { snapshot } = loadClusterFile(ctx.clusterFile);
  return {
    name: 'policy',
    enrich(event) {
      attachDropExplanation(snapshot, event);
    },
  };
});

registerEnricher('kubernetes', (ctx) => {
  const kubeconfig = process.env.WIRETRACE_KUBECONFIG;
  if (ctx.mode !== 'run' || ctx.clusterFile || (!kubeconfig && !process.env.KUBERNETES_SERVICE_HOST)) {
    return undefined;
  }
  return startLiveEnricher(ctx, kubeconfig);
});

function startLiveEnricher(ctx: ExtensionContext, kubeconfig: string | undefined) {
  const resolver = new IdentityResolver();
  const watcher = new ClusterWatcher(loadKubeConfig(kubeconfig), { observers: [resolver], registries: ctx.registries });
  watcher.start();
  watcher.waitForSync(60_000).then(
    () => ctx.log('kubernetes informers synced'),
    (err: unknown) => ctx.log(`${describeApiError(err)}; identity stays partial until they do`)
  );
  return {
    name: 'kubernetes',
    watcher,
    enrich(event: Parameters<IdentityResolver['enrichEvent']>[0]) {
      const enriched = resolver.enrichEvent(event);
      event.src = enriched.src;
      event.dst = enriched.dst;
      attachDropExplanation(watcher.snapshot(), event);
    },
  };
}
