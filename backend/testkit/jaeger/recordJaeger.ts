// Records what a real Jaeger answers over HTTP and gRPC for the checkout spans, into the contract-test bodies
// backend/queries/testdata/jaeger-<version>-{http,grpc}-recorded.json. Run by scripts/record-jaeger.mjs.
import * as grpc from '@grpc/grpc-js';
import { writeFileSync } from 'node:fs';
import type * as protobuf from 'protobufjs';
import { FIND_TRACES_REQUEST, GET_SERVICES_REQUEST, GET_TRACE_REQUEST } from '../../clients/jaeger/jaegerSchema';
import {
  checkoutSpans,
  FAILED_PAYMENT_TRACE,
  REFUSED_INVENTORY_TRACE,
  sendSpans,
  UNKNOWN_TRACE,
  waitForTraces,
} from './checkoutSpans';
import { startJaeger } from './jaegerProcess';
import { CHECKOUT_START_NS, RECORDED_WINDOW, type GrpcExchange, type HttpExchange } from './recordedJaeger';

async function main(): Promise<void> {
  const [binary, version, outDir] = process.argv.slice(2);
  if (!binary || !version || !outDir) {
    throw new Error('usage: recordJaeger <jaeger binary> <version> <output dir>');
  }
  const jaeger = await startJaeger(binary);
  try {
    await sendSpans(jaeger.otlpHttpUrl, checkoutSpans(CHECKOUT_START_NS));
    await waitForTraces(jaeger.httpUrl, { [FAILED_PAYMENT_TRACE]: 3, [REFUSED_INVENTORY_TRACE]: 1 });
    const http = await recordHttp(jaeger.httpUrl);
    const grpcExchanges = await recordGrpc(jaeger.grpcUrl.replace(/^http:\/\//, ''));
    const note = `Recorded from jaeger ${version} (in-memory storage) by scripts/record-jaeger.mjs`;
    writeFileSync(
      `${outDir}/jaeger-${version.replace(/^v/, '')}-http-recorded.json`,
      JSON.stringify({ note, exchanges: http }, null, 2) + '\n'
    );
    writeFileSync(
      `${outDir}/jaeger-${version.replace(/^v/, '')}-grpc-recorded.json`,
      JSON.stringify({ note, exchanges: grpcExchanges }, null, 2) + '\n'
    );
    for (const e of http) {
      console.log(`http ${e.name}: ${e.status} (${e.body.length} bytes)`);
    }
    for (const e of grpcExchanges) {
      console.log(`grpc ${e.name}: ${grpc.status[e.code]} (${e.chunks.length} chunks) ${e.details}`);
    }
  } finally {
    await jaeger.stop();
  }
}

async function recordHttp(base: string): Promise<HttpExchange[]> {
  const { fromMs, toMs } = RECORDED_WINDOW;
  const v3Window = {
    'query.start_time_min': new Date(fromMs).toISOString(),
    'query.start_time_max': new Date(toMs).toISOString(),
  };
  const legacyWindow = { start: String(fromMs * 1000), end: String(toMs * 1000) };
  const asks: Array<{ name: string; path: string; query?: Record<string, string> }> = [
    { name: 'services', path: '/api/v3/services' },
    { name: 'traceById', path: `/api/v3/traces/${FAILED_PAYMENT_TRACE}` },
    {
      name: 'traceByIdInRange',
      path: `/api/v3/traces/${FAILED_PAYMENT_TRACE}`,
      query: { start_time: v3Window['query.start_time_min'], end_time: v3Window['query.start_time_max'] },
    },
    { name: 'traceByIdUnknown', path: `/api/v3/traces/${UNKNOWN_TRACE}` },
    {
      name: 'v3SearchIgnoresAttributes',
      path: '/api/v3/traces',
      query: {
        ...v3Window,
        'query.service_name': 'frontend',
        'query.attributes': JSON.stringify({ 'k8s.pod.name': 'no-such-pod' }),
        'query.num_traces': '20',
      },
    },
    {
      name: 'v3SearchWithoutNumTraces',
      path: '/api/v3/traces',
      query: { ...v3Window, 'query.service_name': 'frontend' },
    },
    {
      name: 'legacySearchByTag',
      path: '/api/traces',
      query: { ...legacyWindow, service: 'frontend', tags: JSON.stringify({ 'k8s.pod.name': 'frontend-1' }) },
    },
    {
      name: 'legacySearchByErrorTag',
      path: '/api/traces',
      query: { ...legacyWindow, service: 'checkout', tag: 'error:true' },
    },
    {
      name: 'legacySearchWithoutService',
      path: '/api/traces',
      query: { ...legacyWindow, tag: 'k8s.pod.name:frontend-1' },
    },
  ];
  const out: HttpExchange[] = [];
  for (const ask of asks) {
    const url = new URL(base + ask.path);
    for (const [k, v] of Object.entries(ask.query ?? {})) {
      url.searchParams.set(k, v);
    }
    const response = await fetch(url);
    out.push({
      name: ask.name,
      path: ask.path,
      query: ask.query ?? {},
      status: response.status,
      body: await response.text(),
    });
  }
  return out;
}

async function recordGrpc(target: string): Promise<GrpcExchange[]> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const window = {
    startTimeMin: timestamp(RECORDED_WINDOW.fromMs),
    startTimeMax: timestamp(RECORDED_WINDOW.toMs),
    searchDepth: 20,
  };
  const find = (name: string, query: object) => ({
    name,
    method: 'FindTraces',
    type: FIND_TRACES_REQUEST,
    request: { query: { ...window, ...query } },
  });
  const asks = [
    find('findByPod', { attributes: { 'k8s.pod.name': 'frontend-1' } }),
    find('findByPodOfOtherService', { attributes: { 'k8s.pod.name': 'checkout-2' } }),
    find('findByNamespace', { attributes: { 'k8s.namespace.name': 'shop' } }),
    find('findByServiceAndPod', { serviceName: 'frontend', attributes: { 'k8s.pod.name': 'frontend-1' } }),
    find('findBySpanAttribute', { attributes: { 'server.address': 'payments.shop.svc.cluster.local' } }),
    find('findErrorTag', { attributes: { 'k8s.namespace.name': 'shop', error: 'true' } }),
    find('findSpanKindClient', { attributes: { 'k8s.pod.name': 'frontend-1', 'span.kind': 'client' } }),
    find('findNothing', { attributes: { 'k8s.pod.name': 'no-such-pod' } }),
    { name: 'getTrace', method: 'GetTrace', type: GET_TRACE_REQUEST, request: { traceId: FAILED_PAYMENT_TRACE } },
    { name: 'getTraceUnknown', method: 'GetTrace', type: GET_TRACE_REQUEST, request: { traceId: UNKNOWN_TRACE } },
  ];
  const out: GrpcExchange[] = [];
  for (const ask of asks) {
    out.push(await streamCall(client, ask.name, ask.method, ask.type, ask.request));
  }
  out.push(await unaryCall(client, 'services', 'GetServices', GET_SERVICES_REQUEST, {}));
  client.close();
  return out;
}

function streamCall(
  client: grpc.Client,
  name: string,
  method: string,
  type: protobuf.Type,
  request: object
): Promise<GrpcExchange> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    const call = client.makeServerStreamRequest(
      `/jaeger.api_v3.QueryService/${method}`,
      (value: object) => Buffer.from(type.encode(type.fromObject(value)).finish()),
      (bytes: Buffer) => bytes,
      request,
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + 60_000) }
    );
    call.on('data', (bytes: Buffer) => chunks.push(bytes.toString('base64')));
    call.on('error', (err: grpc.ServiceError) =>
      resolve({ name, method, request, code: err.code, details: err.details, chunks })
    );
    call.on('end', () => resolve({ name, method, request, code: grpc.status.OK, details: '', chunks }));
  });
}

function unaryCall(
  client: grpc.Client,
  name: string,
  method: string,
  type: protobuf.Type,
  request: object
): Promise<GrpcExchange> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/jaeger.api_v3.QueryService/${method}`,
      (value: object) => Buffer.from(type.encode(type.fromObject(value)).finish()),
      (bytes: Buffer) => bytes,
      request,
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + 60_000) },
      (err, bytes) =>
        resolve({
          name,
          method,
          request,
          code: err?.code ?? grpc.status.OK,
          details: err?.details ?? '',
          chunks: bytes ? [bytes.toString('base64')] : [],
        })
    );
  });
}

function timestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
