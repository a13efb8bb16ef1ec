// Builds the Jaeger query gRPC client from the datasource settings: its own URL, or the HTTP URL's host on 16685.
import type { DatasourceSettings } from '../../datasource/types';
import { DEFAULT_TIMEOUT_MS } from '../http';
import type { ConcurrencyLimiter } from '../limiter';
import { credentialsFor } from '../upstreams';
import { JaegerQueryGrpc } from './jaegerQueryGrpc';

// The port jaeger-query (v1 and v2) serves its gRPC API on by default.
export const JAEGER_GRPC_PORT = 16685;

export function jaegerGrpcUrl(settings: DatasourceSettings): string | undefined {
  const jaeger = settings.jsonData.jaeger;
  if (jaeger?.grpcUrl) {
    return jaeger.grpcUrl;
  }
  if (!jaeger?.url) {
    return undefined;
  }
  const url = new URL(jaeger.url);
  return `${url.protocol}//${url.hostname}:${JAEGER_GRPC_PORT}`;
}

export function jaegerQueryGrpc(settings: DatasourceSettings, limiter: ConcurrencyLimiter): JaegerQueryGrpc {
  return new JaegerQueryGrpc({
    name: 'Jaeger gRPC',
    url: jaegerGrpcUrl(settings) ?? '',
    credentials: credentialsFor(settings, 'jaeger'),
    timeoutMs: settings.jsonData.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limiter,
  });
}
