// GetFlowsRequest from Wiretrace's `hubble:` settings: follow, since/until, number, whitelist/blacklist filters.
import type protobuf from 'protobufjs';
import { hubbleProtoRoot } from '../../proto';
import { messageFromProtoJson, parseRfc3339 } from '../../proto/protoJson';

// A FlowFilter written as protobuf JSON, e.g. { "verdict": ["DROPPED"], "source_pod": ["shop/"] }.
export type FlowFilterJson = Record<string, unknown>;

export interface GetFlowsOptions {
  follow?: boolean;
  // RFC 3339 time, a Date, or a duration before now ("90s", "15m", "2h").
  since?: string | Date;
  until?: string | Date;
  // How many flows to return (the last N, or the first N with `first`); 0 or unset means no limit.
  number?: number;
  first?: boolean;
  whitelist?: FlowFilterJson[];
  blacklist?: FlowFilterJson[];
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function timestampOption(value: string | Date, now: number = Date.now()): { seconds: string; nanos: number } {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) {
      throw new Error('hubble: invalid Date for since/until');
    }
    return { seconds: String(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
  }
  const duration = DURATION.exec(value.trim());
  if (duration) {
    return timestampOption(new Date(now - Number(duration[1]) * UNIT_MS[duration[2]]));
  }
  const ts = parseRfc3339(value);
  if (!ts) {
    throw new Error(`hubble: "${value}" is neither an RFC 3339 time nor a duration like 15m`);
  }
  return ts;
}

export function getFlowsRequest(options: GetFlowsOptions, now: number = Date.now()): protobuf.Message {
  const root = hubbleProtoRoot();
  const filterType = root.lookupType('flow.FlowFilter');
  const toFilters = (filters: FlowFilterJson[] | undefined, which: string) =>
    (filters ?? []).map((f, i) => {
      try {
        return filterType.toObject(messageFromProtoJson(filterType, f));
      } catch (err) {
        throw new Error(
          `hubble: ${which}[${i}] is not a valid FlowFilter: ${err instanceof Error ? err.message : err}`
        );
      }
    });
  const request: Record<string, unknown> = {
    follow: options.follow ?? false,
    first: options.first ?? false,
    whitelist: toFilters(options.whitelist, 'whitelist'),
    blacklist: toFilters(options.blacklist, 'blacklist'),
  };
  if (options.number) {
    request.number = options.number;
  }
  if (options.since !== undefined) {
    request.since = timestampOption(options.since, now);
  }
  if (options.until !== undefined) {
    request.until = timestampOption(options.until, now);
  }
  return root.lookupType('observer.GetFlowsRequest').fromObject(request);
}

export function encodeGetFlowsRequest(request: protobuf.Message): Buffer {
  return Buffer.from(hubbleProtoRoot().lookupType('observer.GetFlowsRequest').encode(request).finish());
}

export function decodeGetFlowsRequest(bytes: Uint8Array): protobuf.Message {
  return hubbleProtoRoot().lookupType('observer.GetFlowsRequest').decode(bytes);
}
