// Maps decoded protocol messages to the datasource's plain requests and its answers back to messages.
import type { DataQueryRequest, DataQueryResponse, InstanceSettings, ResourceRequest } from '../datasource/requests';
import { QueryError } from '../datasource/types';
import { encodeFrame } from '../frames/arrow';
import type {
  CallResourceRequestMessage,
  DataQueryMessage,
  DataResponseMessage,
  PluginContextMessage,
} from './messages';

export function settingsFromContext(ctx: PluginContextMessage | null | undefined): InstanceSettings {
  const ds = ctx?.dataSourceInstanceSettings;
  if (!ds) {
    return new QueryError(400, 'request carries no datasource instance settings', 'plugin');
  }
  // Parsed by the datasource's instance manager, once per settings version.
  return {
    uid: ds.uid,
    name: ds.name,
    url: ds.url,
    jsonData: ds.jsonData,
    decryptedSecureJsonData: ds.decryptedSecureJsonData ?? {},
    lastUpdatedMs: Number(ds.lastUpdatedMS) || undefined,
  };
}

export function toDataQueryRequest(q: DataQueryMessage): DataQueryRequest {
  return {
    refId: q.refId,
    queryType: q.queryType,
    maxDataPoints: q.maxDataPoints,
    intervalMs: q.intervalMS,
    timeRange: { fromMs: q.timeRange?.fromEpochMS ?? 0, toMs: q.timeRange?.toEpochMS ?? 0 },
    json: q.json,
  };
}

// Encodes the frames of one answer; a frame that cannot be encoded turns the answer into a plugin error.
export function toDataResponseMessage(response: DataQueryResponse): DataResponseMessage {
  if (response.status >= 200 && response.status < 300) {
    try {
      return { frames: response.frames.map(encodeFrame), status: response.status };
    } catch (err) {
      return {
        frames: [],
        status: 500,
        error: `internal error encoding frames: ${(err as Error).message}`,
        errorSource: 'plugin',
      };
    }
  }
  return {
    frames: response.frames.map(encodeFrame),
    status: response.status,
    error: response.error ?? `query failed with status ${response.status}`,
    errorSource: response.errorSource ?? 'plugin',
  };
}

export function toResourceRequest(m: CallResourceRequestMessage): ResourceRequest {
  const headers: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(m.headers ?? {})) {
    headers[name] = list.values ?? [];
  }
  return { path: m.path, method: m.method || 'GET', url: m.url, headers, body: m.body ?? new Uint8Array() };
}
