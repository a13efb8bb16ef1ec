// Registers the Kubernetes identity enricher for cluster-file mode (analyze --cluster, or clusterFile in the config).
import { IdentityResolver } from './identity';
import { loadClusterFile } from './kube/clusterFile';
import { registerEnricher } from './pipelineExtensions';

registerEnricher('identity', (ctx) => {
  if (!ctx.clusterFile) {
    return undefined;
  }
  const resolver = IdentityResolver.fromSnapshot(loadClusterFile(ctx.clusterFile).snapshot);
  return {
    name: 'identity',
    enrich(event) {
      const enriched = resolver.enrichEvent(event);
      event.src = enriched.src;
      event.dst = enriched.dst;
    },
  };
});
