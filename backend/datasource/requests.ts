// Plain typed forms of Grafana's plugin requests and responses, free of gRPC types.
import type { Frame } from '../frames/frame';
import type { RawInstanceSettings } from '../settings/parseSettings';
import type { ErrorSource, TimeRange } from './types';

export interface DataQueryRequest {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: TimeRange;
  // The query JSON bytes as the frontend saved them (template variables already interpolated).
  json: Uint8Array | string;
}

export interface DataQueryResponse {
  frames: Frame[];
  // HTTP-like: 200 on success.
  status: number;
  error?: string;
  errorSource?: ErrorSource;
}

// The instance settings a request carries, unparsed, or the error that it carries none.
export type InstanceSettings = RawInstanceSettings | Error;

export interface HealthResult {
  status: 'OK' | 'ERROR';
  message: string;
  details: Record<string, unknown>;
}

export interface ResourceRequest {
  path: string;
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

export interface ResourceResponse {
  status: number;
  headers: Record<string, string[]>;
  body: Uint8Array;
}
