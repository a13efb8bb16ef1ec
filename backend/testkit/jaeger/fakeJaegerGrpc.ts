// A loopback jaeger.api_v3.QueryService for unit tests: each call answered by the test (recorded chunks or a
// status), requests and their metadata kept for assertions.
import * as grpc from '@grpc/grpc-js';
import { FIND_TRACES_REQUEST, GET_SERVICES_RESPONSE, GET_TRACE_REQUEST } from '../../clients/jaeger/jaegerSchema';
import type { GrpcExchange } from './recordedJaeger';

export type FakeAnswer = { chunks: Buffer[] } | { code: grpc.status; details: string };

export interface FakeJaegerCall {
  method: string;
  request: Record<string, unknown>;
  authorization?: string;
}

export interface FakeJaegerGrpc {
  url: string;
  calls: FakeJaegerCall[];
  close(): Promise<void>;
}

export function answerOf(exchange: GrpcExchange): FakeAnswer {
  return exchange.code === grpc.status.OK
    ? { chunks: exchange.chunks.map((c) => Buffer.from(c, 'base64')) }
    : { code: exchange.code, details: exchange.details };
}

export async function startFakeJaegerGrpc(
  answer: (method: string, request: Record<string, unknown>) => FakeAnswer,
  services: string[] = []
): Promise<FakeJaegerGrpc> {
  const calls: FakeJaegerCall[] = [];
  const server = new grpc.Server();
  const decodeWith = (type: typeof FIND_TRACES_REQUEST) => (bytes: Buffer) =>
    type.toObject(type.decode(bytes), { longs: Number, objects: true }) as Record<string, unknown>;
  const streamed = (method: string, decode: (b: Buffer) => Record<string, unknown>) => ({
    path: `/jaeger.api_v3.QueryService/${method}`,
    requestStream: false,
    responseStream: true,
    requestDeserialize: decode,
    requestSerialize: () => Buffer.alloc(0),
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  });
  const definition = {
    FindTraces: streamed('FindTraces', decodeWith(FIND_TRACES_REQUEST)),
    GetTrace: streamed('GetTrace', decodeWith(GET_TRACE_REQUEST)),
    GetServices: {
      path: '/jaeger.api_v3.QueryService/GetServices',
      requestStream: false,
      responseStream: false,
      requestDeserialize: () => ({}),
      requestSerialize: () => Buffer.alloc(0),
      responseSerialize: (value: object) => Buffer.from(GET_SERVICES_RESPONSE.encode(value).finish()),
      responseDeserialize: (b: Buffer) => b,
    },
  };
  const record = (method: string, call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>) => {
    const authorization = call.metadata.get('authorization')[0];
    calls.push({ method, request: call.request, authorization: authorization?.toString() });
  };
  const stream = (method: string) => (call: grpc.ServerWritableStream<Record<string, unknown>, Buffer>) => {
    record(method, call);
    const reply = answer(method, call.request);
    if ('code' in reply) {
      call.emit('error', { code: reply.code, details: reply.details });
      return;
    }
    reply.chunks.forEach((chunk) => call.write(chunk));
    call.end();
  };
  server.addService(definition as unknown as grpc.ServiceDefinition, {
    FindTraces: stream('FindTraces'),
    GetTrace: stream('GetTrace'),
    GetServices: (
      call: grpc.ServerUnaryCall<Record<string, unknown>, object>,
      callback: grpc.sendUnaryData<object>
    ) => {
      record('GetServices', call);
      callback(null, { services });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound)
    )
  );
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
