// The common step after decoding: one GetFlowsResponse → counted, mapped to an event or skipped.
import type { NetworkEvent } from '../../../model/events';
import type { HubbleFlowsResponse } from './flowTypes';
import { type FlowMappingOptions, hubbleFlowToEvent } from './flowToEvent';
import type { HubbleSourceCounters } from './sourceCounters';

export function eventFromResponse(
  response: HubbleFlowsResponse,
  counters: HubbleSourceCounters,
  options: FlowMappingOptions
): NetworkEvent | undefined {
  if (response.lost_events) {
    counters.lostUpstream += Number(response.lost_events.num_events_lost ?? 0);
    return undefined;
  }
  const flow = response.flow;
  if (!flow) {
    return undefined;
  }
  counters.flows++;
  if (!flow.node_name && response.node_name) {
    flow.node_name = response.node_name;
  }
  const mapped = hubbleFlowToEvent(flow, options);
  if ('skipped' in mapped) {
    counters.skipped[mapped.skipped]++;
    return undefined;
  }
  counters.events++;
  return mapped.event;
}
