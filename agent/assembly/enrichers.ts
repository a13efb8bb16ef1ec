// The enrichers over the agent's one cluster view: identity first (pods, workloads, services of both ends), then
// policy (a drop's NetworkPolicy explanation, which needs the pods identity found).
import { attachDropExplanation } from '../policy/dropExplanation';
import type { EventEnricher } from '../pipeline';
import type { ClusterView } from './clusterView';

export function identityEnricher(view: ClusterView): EventEnricher {
  return {
    name: 'identity',
    enrich(event) {
      const enriched = view.resolver.enrichEvent(event);
      event.src = enriched.src;
      event.dst = enriched.dst;
    },
  };
}

export function policyEnricher(view: ClusterView): EventEnricher {
  return {
    name: 'policy',
    enrich(event) {
      // Only drops are explained: the live snapshot is not built for every event.
      if (event.kind === 'drop') {
        attachDropExplanation(view.snapshot(), event);
      }
    },
  };
}
