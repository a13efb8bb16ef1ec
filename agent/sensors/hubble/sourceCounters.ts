// What a Hubble source saw and skipped; nothing is thrown away without being counted.
import type { FlowSkipReason } from './flowToEvent';

export interface HubbleSourceCounters {
  flows: number;
  events: number;
  malformed: number;
  // Events Hubble itself reported lost (ring buffer overruns), summed from LostEvent messages.
  lostUpstream: number;
  skipped: Record<FlowSkipReason, number>;
}

export function newHubbleSourceCounters(): HubbleSourceCounters {
  return {
    flows: 0,
    events: 0,
    malformed: 0,
    lostUpstream: 0,
    skipped: { no_ip: 0, no_time: 0, l7_request: 0, l7_other: 0, sock_trace: 0, translated: 0 },
  };
}
