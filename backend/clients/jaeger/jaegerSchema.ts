// Our subset of Jaeger's query API v3 (jaeger.api_v3.QueryService) and the OTLP trace messages it streams, as an
// embedded protobufjs descriptor so the single executable reads no .proto file at run time. Field numbers follow
// jaeger-idl proto/api_v3/query_service.proto and opentelemetry-proto trace/v1, common/v1, resource/v1.
import * as protobuf from 'protobufjs';

const field = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const descriptor = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Timestamp: { fields: { seconds: field('int64', 1), nanos: field('int32', 2) } },
            Duration: { fields: { seconds: field('int64', 1), nanos: field('int32', 2) } },
          },
        },
      },
    },
    jaeger: {
      nested: {
        api_v3: {
          nested: {
            GetTraceRequest: {
              fields: {
                traceId: field('string', 1),
                startTime: field('google.protobuf.Timestamp', 2),
                endTime: field('google.protobuf.Timestamp', 3),
                rawTraces: field('bool', 4),
              },
            },
            TraceQueryParameters: {
              fields: {
                serviceName: field('string', 1),
                operationName: field('string', 2),
                attributes: { keyType: 'string', type: 'string', id: 3 },
                startTimeMin: field('google.protobuf.Timestamp', 4),
                startTimeMax: field('google.protobuf.Timestamp', 5),
                durationMin: field('google.protobuf.Duration', 6),
                durationMax: field('google.protobuf.Duration', 7),
                searchDepth: field('int32', 8),
                rawTraces: field('bool', 9),
              },
            },
            FindTracesRequest: { fields: { query: field('TraceQueryParameters', 1) } },
            GetServicesRequest: { fields: {} },
            GetServicesResponse: { fields: { services: repeated('string', 1) } },
          },
        },
      },
    },
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: {
                        value: {
                          oneof: [
                            'stringValue',
                            'boolValue',
                            'intValue',
                            'doubleValue',
                            'arrayValue',
                            'kvlistValue',
                            'bytesValue',
                          ],
                        },
                      },
                      fields: {
                        stringValue: field('string', 1),
                        boolValue: field('bool', 2),
                        intValue: field('int64', 3),
                        doubleValue: field('double', 4),
                        arrayValue: field('ArrayValue', 5),
                        kvlistValue: field('KeyValueList', 6),
                        bytesValue: field('bytes', 7),
                      },
                    },
                    ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
                    KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
                    KeyValue: { fields: { key: field('string', 1), value: field('AnyValue', 2) } },
                    InstrumentationScope: {
                      fields: {
                        name: field('string', 1),
                        version: field('string', 2),
                        attributes: repeated('KeyValue', 3),
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: { fields: { attributes: repeated('opentelemetry.proto.common.v1.KeyValue', 1) } },
                  },
                },
              },
            },
            trace: {
              nested: {
                v1: {
                  nested: {
                    TracesData: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
                    ResourceSpans: {
                      fields: {
                        resource: field('opentelemetry.proto.resource.v1.Resource', 1),
                        scopeSpans: repeated('ScopeSpans', 2),
                      },
                    },
                    ScopeSpans: {
                      fields: {
                        scope: field('opentelemetry.proto.common.v1.InstrumentationScope', 1),
                        spans: repeated('Span', 2),
                      },
                    },
                    // kind and status.code are enums on the wire; read as numbers in OTLP's order.
                    Span: {
                      fields: {
                        traceId: field('bytes', 1),
                        spanId: field('bytes', 2),
                        parentSpanId: field('bytes', 4),
                        name: field('string', 5),
                        kind: field('int32', 6),
                        startTimeUnixNano: field('fixed64', 7),
                        endTimeUnixNano: field('fixed64', 8),
                        attributes: repeated('opentelemetry.proto.common.v1.KeyValue', 9),
                        events: repeated('Event', 11),
                        status: field('Status', 15),
                      },
                    },
                    Event: {
                      fields: {
                        timeUnixNano: field('fixed64', 1),
                        name: field('string', 2),
                        attributes: repeated('opentelemetry.proto.common.v1.KeyValue', 3),
                      },
                    },
                    Status: { fields: { message: field('string', 2), code: field('int32', 3) } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export const jaegerRoot = protobuf.Root.fromJSON(descriptor);

export const FIND_TRACES_REQUEST = jaegerRoot.lookupType('jaeger.api_v3.FindTracesRequest');
export const GET_TRACE_REQUEST = jaegerRoot.lookupType('jaeger.api_v3.GetTraceRequest');
export const GET_SERVICES_REQUEST = jaegerRoot.lookupType('jaeger.api_v3.GetServicesRequest');
export const GET_SERVICES_RESPONSE = jaegerRoot.lookupType('jaeger.api_v3.GetServicesResponse');
export const TRACES_DATA = jaegerRoot.lookupType('opentelemetry.proto.trace.v1.TracesData');

// Plain objects shaped like OTLP JSON: int64 as decimal strings, bytes as base64, absent fields left out.
export const OTLP_OBJECT_OPTIONS = { longs: String, bytes: String, defaults: false, arrays: true } as const;
