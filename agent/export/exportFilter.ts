// Which events go to durable storage: drops, DNS errors, flow summaries and security signals by default; configurable
// by kind.
import type { EventKind, NetworkEvent } from '../../model/events';

export interface ExportSelection {
  kinds: EventKind[];
  // DNS exchanges are exported only when they failed (an error rcode, or no answer).
  dnsErrorsOnly: boolean;
}

export const DEFAULT_EXPORT_SELECTION: ExportSelection = {
  kinds: ['drop', 'dns', 'flow', 'reset', 'signal'],
  dnsErrorsOnly: true,
};

export function isExported(event: NetworkEvent, selection: ExportSelection): boolean {
  if (!selection.kinds.includes(event.kind)) {
    return false;
  }
  if (event.kind === 'dns' && selection.dnsErrorsOnly) {
    return !event.dns?.answered || (event.dns.rcode !== undefined && event.dns.rcode !== 'NOERROR');
  }
  return true;
}
