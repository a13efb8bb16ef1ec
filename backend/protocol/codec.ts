// gRPC method definitions over the embedded schema: protobuf bytes in, plain objects out, and back.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { protocolRoot } from './schema';

const TO_OBJECT = { longs: Number, enums: Number, defaults: true, arrays: true, objects: true } as const;

function codecFor(typeName: string) {
  const type = protocolRoot.lookupType(typeName);
  return {
    serialize: (value: object): Buffer => {
      const bytes = type.encode(type.fromObject(value)).finish();
      // A view, not a copy: responses carry whole Arrow frames.
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes: Buffer): object => type.toObject(type.decode(bytes), TO_OBJECT),
  };
}

export interface MethodSpec {
  request: string;
  response: string;
  responseStream?: boolean;
}

export function serviceDefinition(service: string, methods: Record<string, MethodSpec>): ServiceDefinition {
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const [name, spec] of Object.entries(methods)) {
    const request = codecFor(spec.request);
    const response = codecFor(spec.response);
    definition[name] = {
      path: `/${service}/${name}`,
      requestStream: false,
      responseStream: spec.responseStream ?? false,
      requestSerialize: request.serialize,
      requestDeserialize: request.deserialize,
      responseSerialize: response.serialize,
      responseDeserialize: response.deserialize,
    };
  }
  return definition as ServiceDefinition;
}

export const DataService = serviceDefinition('pluginv2.Data', {
  QueryData: { request: 'pluginv2.QueryDataRequest', response: 'pluginv2.QueryDataResponse' },
});

export const DiagnosticsService = serviceDefinition('pluginv2.Diagnostics', {
  CheckHealth: { request: 'pluginv2.CheckHealthRequest', response: 'pluginv2.CheckHealthResponse' },
  CollectMetrics: { request: 'pluginv2.CollectMetricsRequest', response: 'pluginv2.CollectMetricsResponse' },
});

export const ResourceService = serviceDefinition('pluginv2.Resource', {
  CallResource: {
    request: 'pluginv2.CallResourceRequest',
    response: 'pluginv2.CallResourceResponse',
    responseStream: true,
  },
});

export const HealthService = serviceDefinition('grpc.health.v1.Health', {
  Check: { request: 'grpc.health.v1.HealthCheckRequest', response: 'grpc.health.v1.HealthCheckResponse' },
});

export const ControllerService = serviceDefinition('plugin.GRPCController', {
  Shutdown: { request: 'plugin.Empty', response: 'plugin.Empty' },
});

export const StdioService = serviceDefinition('plugin.GRPCStdio', {
  StreamStdio: { request: 'plugin.Empty', response: 'plugin.StdioData', responseStream: true },
});
