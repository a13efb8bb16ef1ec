/**
 * Hubble source: Cilium Hubble flows → Wiretrace NetworkEvents.
 *
 * - `HubbleObserverSource`: streams `observer.Observer/GetFlows` from Hubble Relay (follow, since/until, number,
 *   whitelist/blacklist FlowFilters written as protobuf JSON), reconnecting with backoff in follow mode.
 * - `HubbleJsonLineDecoder` / `readHubbleJsonFile`: Hubble exporter files and `hubble observe -o json` lines.
 * - `hubbleFlowToEvent`: the mapping both use (verdict, drop reason, denied-by policies, trace id, endpoints, L7).
 *
 * Every source counts what it skipped or could not decode in `counters`; nothing throws on bad input.
 */
export { HubbleObserverSource, GET_FLOWS_PATH } from './observerSource';
export type { HubbleObserverOptions, HubbleObserverCounters } from './observerSource';
export { HubbleJsonLineDecoder, readHubbleJsonFile } from './jsonLines';
export { hubbleFlowToEvent, dropReasonOf, timestampToUs } from './flowToEvent';
export type { FlowMapping, FlowMappingOptions, FlowSkipReason } from './flowToEvent';
export { getFlowsRequest, decodeGetFlowsRequest, encodeGetFlowsRequest } from './observerRequest';
export type { GetFlowsOptions, FlowFilterJson } from './observerRequest';
export {
  decodeFlowsResponse,
  encodeFlowsResponse,
  flowsResponseFromJson,
  flowsResponseMessageFromJson,
} from './flowMessages';
export type { HubbleSourceCounters } from './sourceCounters';
export type { HubbleFlow, HubbleFlowsResponse } from './flowTypes';
