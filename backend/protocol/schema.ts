// Our subset of Grafana's plugin protocol (pluginv2), go-plugin's controller/stdio services and gRPC health,
// as an embedded protobufjs descriptor so the single executable needs no .proto files on disk.
// Field numbers follow grafana-plugin-sdk-go proto/backend.proto and hashicorp/go-plugin internal/plugin/*.proto.
import * as protobuf from 'protobufjs';

const stringMap = (id: number, type = 'string') => ({ keyType: 'string', type, id });

const descriptor = {
  nested: {
    pluginv2: {
      nested: {
        AppInstanceSettings: {
          fields: {
            jsonData: { type: 'bytes', id: 3 },
            decryptedSecureJsonData: stringMap(4),
            lastUpdatedMS: { type: 'int64', id: 5 },
            apiVersion: { type: 'string', id: 6 },
          },
        },
        DataSourceInstanceSettings: {
          fields: {
            id: { type: 'int64', id: 1 },
            name: { type: 'string', id: 2 },
            url: { type: 'string', id: 3 },
            user: { type: 'string', id: 4 },
            database: { type: 'string', id: 5 },
            basicAuthEnabled: { type: 'bool', id: 6 },
            basicAuthUser: { type: 'string', id: 7 },
            jsonData: { type: 'bytes', id: 8 },
            decryptedSecureJsonData: stringMap(9),
            lastUpdatedMS: { type: 'int64', id: 10 },
            uid: { type: 'string', id: 11 },
            apiVersion: { type: 'string', id: 12 },
          },
        },
        User: {
          fields: {
            login: { type: 'string', id: 1 },
            name: { type: 'string', id: 2 },
            email: { type: 'string', id: 3 },
            role: { type: 'string', id: 4 },
          },
        },
        PluginContext: {
          fields: {
            orgId: { type: 'int64', id: 1 },
            pluginId: { type: 'string', id: 2 },
            user: { type: 'User', id: 3 },
            appInstanceSettings: { type: 'AppInstanceSettings', id: 4 },
            dataSourceInstanceSettings: { type: 'DataSourceInstanceSettings', id: 5 },
            grafanaConfig: stringMap(6),
            pluginVersion: { type: 'string', id: 7 },
            userAgent: { type: 'string', id: 8 },
            apiVersion: { type: 'string', id: 9 },
          },
        },
        StringList: { fields: { values: { rule: 'repeated', type: 'string', id: 1 } } },
        CallResourceRequest: {
          fields: {
            pluginContext: { type: 'PluginContext', id: 1 },
            path: { type: 'string', id: 2 },
            method: { type: 'string', id: 3 },
            url: { type: 'string', id: 4 },
            headers: stringMap(5, 'StringList'),
            body: { type: 'bytes', id: 6 },
          },
        },
        CallResourceResponse: {
          fields: {
            code: { type: 'int32', id: 1 },
            headers: stringMap(2, 'StringList'),
            body: { type: 'bytes', id: 3 },
          },
        },
        TimeRange: {
          fields: { fromEpochMS: { type: 'int64', id: 1 }, toEpochMS: { type: 'int64', id: 2 } },
        },
        DataQuery: {
          fields: {
            refId: { type: 'string', id: 1 },
            maxDataPoints: { type: 'int64', id: 2 },
            intervalMS: { type: 'int64', id: 3 },
            timeRange: { type: 'TimeRange', id: 4 },
            json: { type: 'bytes', id: 5 },
            queryType: { type: 'string', id: 6 },
          },
        },
        QueryDataRequest: {
          fields: {
            pluginContext: { type: 'PluginContext', id: 1 },
            headers: stringMap(2),
            queries: { rule: 'repeated', type: 'DataQuery', id: 3 },
            format: { type: 'int32', id: 7 },
          },
        },
        QueryDataResponse: { fields: { responses: stringMap(1, 'DataResponse') } },
        DataResponse: {
          fields: {
            frames: { rule: 'repeated', type: 'bytes', id: 1 },
            error: { type: 'string', id: 2 },
            jsonMeta: { type: 'bytes', id: 3 },
            status: { type: 'int32', id: 4 },
            errorSource: { type: 'string', id: 5 },
            format: { type: 'int32', id: 7 },
          },
        },
        CollectMetricsRequest: { fields: { pluginContext: { type: 'PluginContext', id: 1 } } },
        CollectMetricsResponse: {
          fields: { metrics: { type: 'Payload', id: 1 } },
          nested: { Payload: { fields: { prometheus: { type: 'bytes', id: 1 } } } },
        },
        CheckHealthRequest: {
          fields: { pluginContext: { type: 'PluginContext', id: 1 }, headers: stringMap(2) },
        },
        CheckHealthResponse: {
          fields: {
            status: { type: 'int32', id: 1 },
            message: { type: 'string', id: 2 },
            jsonDetails: { type: 'bytes', id: 3 },
          },
        },
      },
    },
    plugin: {
      nested: {
        Empty: { fields: {} },
        StdioData: {
          fields: { channel: { type: 'int32', id: 1 }, data: { type: 'bytes', id: 2 } },
        },
      },
    },
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: { fields: { status: { type: 'int32', id: 1 } } },
              },
            },
          },
        },
      },
    },
  },
};

export const protocolRoot = protobuf.Root.fromJSON(descriptor);

export const HEALTH_STATUS = { UNKNOWN: 0, OK: 1, ERROR: 2 } as const;
export const SERVING_STATUS = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
export const STDIO_CHANNEL = { STDOUT: 1, STDERR: 2 } as const;
