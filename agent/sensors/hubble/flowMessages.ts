// Both Hubble inputs decoded to HubbleFlowsResponse: GetFlows protobuf messages and protobuf-JSON lines.
import type protobuf from 'protobufjs';
import { hubbleProtoRoot } from '../../proto';
import { messageFromProtoJson } from '../../proto/protoJson';
import type { HubbleFlowsResponse } from './flowTypes';

const TO_OBJECT: protobuf.IConversionOptions = { enums: String, longs: String, defaults: false };

function responseType(): protobuf.Type {
  return hubbleProtoRoot().lookupType('observer.GetFlowsResponse');
}

export function decodeFlowsResponse(bytes: Uint8Array): HubbleFlowsResponse {
  const type = responseType();
  return type.toObject(type.decode(bytes), TO_OBJECT) as HubbleFlowsResponse;
}

/**
 * One JSON line as a GetFlowsResponse message. The line is either a GetFlowsResponse (`hubble observe -o json`,
 * Hubble's flow exporter files) or a bare Flow (jsonpb of flow.Flow). Throws on anything else.
 */
export function flowsResponseMessageFromJson(json: unknown): protobuf.Message {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('expected a JSON object');
  }
  const wrapped = 'flow' in json || 'lost_events' in json || 'lostEvents' in json || 'node_status' in json;
  return messageFromProtoJson(responseType(), wrapped ? json : { flow: json });
}

export function flowsResponseFromJson(json: unknown): HubbleFlowsResponse {
  return responseType().toObject(flowsResponseMessageFromJson(json), TO_OBJECT) as HubbleFlowsResponse;
}

export function encodeFlowsResponse(message: protobuf.Message): Uint8Array {
  return responseType().encode(message).finish();
}
