// How an endpoint is named on graphs and series: its Service, else workload, else pod, else IP.
import type { Endpoint } from '../../model/events';

export interface NamedEndpoint {
  id: string;
  title: string;
  namespace?: string;
  pod?: string;
}

export function nameEndpoint(
  e: Pick<Endpoint, 'ip' | 'namespace' | 'pod' | 'service'> & { workload?: Endpoint['workload'] | string }
): NamedEndpoint {
  const workload = typeof e.workload === 'string' ? e.workload : e.workload?.name;
  const title = e.service ?? workload ?? e.pod ?? e.ip;
  return {
    id: e.namespace && title !== e.ip ? `${e.namespace}/${title}` : title,
    title,
    namespace: e.namespace,
    pod: e.pod,
  };
}
