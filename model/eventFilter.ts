// The one rule for which network events a reader asked for: the agent's store and the datasource's Loki read both
// apply it, so an event found live is found again in the history.
import type { EventKind, NetworkEvent } from './events';

export interface EventFilter {
  // Every kind when absent.
  kinds?: ReadonlySet<EventKind>;
  // Either end in this namespace.
  namespace?: string;
  // Either end is this pod.
  pod?: string;
  traceId?: string;
}

export function matchesEventFilter(e: NetworkEvent, filter: EventFilter): boolean {
  if (filter.kinds && !filter.kinds.has(e.kind)) {
    return false;
  }
  if (filter.namespace && e.src.namespace !== filter.namespace && e.dst.namespace !== filter.namespace) {
    return false;
  }
  if (filter.pod && e.src.pod !== filter.pod && e.dst.pod !== filter.pod) {
    return false;
  }
  return !filter.traceId || e.traceId === filter.traceId;
}
