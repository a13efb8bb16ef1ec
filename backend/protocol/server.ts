// The gRPC services Grafana calls; each handler decodes, hands a plain request to the backend, encodes the answer.
import * as grpc from '@grpc/grpc-js';
import type {
  DataQueryRequest,
  DataQueryResponse,
  HealthResult,
  InstanceSettings,
  ResourceRequest,
  ResourceResponse,
} from '../datasource/requests';
import type { Logger } from '../datasource/types';
import {
  ControllerService,
  DataService,
  DiagnosticsService,
  HealthService,
  ResourceService,
  StdioService,
} from './codec';
import { settingsFromContext, toDataQueryRequest, toDataResponseMessage, toResourceRequest } from './mapping';
import type { CallResourceRequestMessage, CheckHealthRequestMessage, QueryDataRequestMessage } from './messages';
import { HEALTH_STATUS, SERVING_STATUS } from './schema';

// What the protocol layer needs from the datasource; it never sees gRPC types.
export interface PluginBackend {
  queryData(
    queries: DataQueryRequest[],
    settings: InstanceSettings,
    signal: AbortSignal
  ): Promise<Record<string, DataQueryResponse>>;
  checkHealth(settings: InstanceSettings, signal: AbortSignal): Promise<HealthResult>;
  callResource(settings: InstanceSettings, request: ResourceRequest, signal: AbortSignal): Promise<ResourceResponse>;
  collectMetrics(): Promise<string>;
}

// Sizes chosen on purpose: Grafana's client (go-plugin) accepts up to MaxInt32 both ways; we accept requests up to
// 64 MiB (four times the Go SDK's 16 MiB default) and send answers up to 2 GiB - 1 so large frames are never cut.
export const MAX_RECEIVE_MESSAGE_BYTES = 64 * 1024 * 1024;
export const MAX_SEND_MESSAGE_BYTES = 2 ** 31 - 1;

// The go-plugin health check asks about the service named "plugin".
const SERVED_HEALTH_NAMES = new Set(['', 'plugin']);

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

export interface PluginServer {
  server: grpc.Server;
  // Ends the long-lived stdio streams so the server can stop.
  closeStreams(): void;
}

export function createPluginServer(backend: PluginBackend, logger: Logger, onShutdown: () => void): PluginServer {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_SEND_MESSAGE_BYTES,
  });
  const stdioStreams = new Set<grpc.ServerWritableStream<object, object>>();

  const queryData: Unary<QueryDataRequestMessage, object> = (call, callback) => {
    const settings = settingsFromContext(call.request.pluginContext);
    backend
      .queryData(call.request.queries.map(toDataQueryRequest), settings, cancellation(call))
      .then((answers) => {
        // No prototype: a refId "__proto__" must be answered like any other.
        const responses = Object.create(null) as Record<string, object>;
        for (const [refId, answer] of Object.entries(answers)) {
          responses[refId] = toDataResponseMessage(answer);
        }
        callback(null, { responses });
      })
      .catch((err) => callback(internalError('QueryData', err, logger)));
  };

  const checkHealth: Unary<CheckHealthRequestMessage, object> = (call, callback) => {
    backend
      .checkHealth(settingsFromContext(call.request.pluginContext), cancellation(call))
      .then((result) =>
        callback(null, {
          status: result.status === 'OK' ? HEALTH_STATUS.OK : HEALTH_STATUS.ERROR,
          message: result.message,
          jsonDetails: Buffer.from(JSON.stringify(result.details)),
        })
      )
      .catch((err) => callback(internalError('CheckHealth', err, logger)));
  };

  const collectMetrics: Unary<object, object> = (_call, callback) => {
    backend
      .collectMetrics()
      .then((text) => callback(null, { metrics: { prometheus: Buffer.from(text) } }))
      .catch((err) => callback(internalError('CollectMetrics', err, logger)));
  };

  const callResource = (call: grpc.ServerWritableStream<CallResourceRequestMessage, object>) => {
    const settings = settingsFromContext(call.request.pluginContext);
    backend
      .callResource(settings, toResourceRequest(call.request), cancellation(call))
      .then((response) => {
        const headers: Record<string, { values: string[] }> = {};
        for (const [name, values] of Object.entries(response.headers)) {
          headers[name] = { values };
        }
        call.write({ code: response.status, headers, body: response.body });
        call.end();
      })
      .catch((err) => call.destroy(internalError('CallResource', err, logger) as Error));
  };

  const healthCheck: Unary<{ service: string }, object> = (call, callback) => {
    if (SERVED_HEALTH_NAMES.has(call.request.service)) {
      callback(null, { status: SERVING_STATUS.SERVING });
    } else {
      callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
    }
  };

  const shutdown: Unary<object, object> = (_call, callback) => {
    logger.info('shutdown requested by Grafana');
    callback(null, {});
    setImmediate(onShutdown);
  };

  // We write nothing to stdout after the handshake, so the stream stays open and empty until shutdown.
  const streamStdio = (call: grpc.ServerWritableStream<object, object>) => {
    stdioStreams.add(call);
    call.on('cancelled', () => stdioStreams.delete(call));
  };

  server.addService(DataService, { QueryData: queryData });
  server.addService(DiagnosticsService, { CheckHealth: checkHealth, CollectMetrics: collectMetrics });
  server.addService(ResourceService, { CallResource: callResource });
  server.addService(HealthService, { Check: healthCheck });
  server.addService(ControllerService, { Shutdown: shutdown });
  server.addService(StdioService, { StreamStdio: streamStdio });

  return {
    server,
    closeStreams: () => {
      for (const call of stdioStreams) {
        call.end();
      }
      stdioStreams.clear();
    },
  };
}

// Grafana cancels the gRPC call when the user leaves the dashboard or the request times out.
function cancellation(call: { on(event: 'cancelled', listener: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort(new Error('cancelled by Grafana')));
  return controller.signal;
}

function internalError(method: string, err: unknown, logger: Logger): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  logger.error(`${method} failed`, { error: message });
  return Object.assign(new Error(message), {
    code: grpc.status.INTERNAL,
    details: message,
    metadata: new grpc.Metadata(),
  });
}
