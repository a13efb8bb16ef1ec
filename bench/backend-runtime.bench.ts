// QueryData round trip over gRPC for a 100k-row frame, executable size and cold start to the handshake line.
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { HclogLogger } from '../backend/datasource/logger';
import type { DataQueryResponse } from '../backend/datasource/requests';
import { DataService, serviceDefinition } from '../backend/protocol/codec';
import { createPluginServer, type PluginBackend } from '../backend/protocol/server';
import { benchFrame } from './lib/backendFrame';
import { report, round } from './lib/report';

const EXECUTABLE = 'dist/datasource/gpx_wiretrace_linux_amd64';
const RUNS = 7;

type Unary = (req: object, cb: (err: grpc.ServiceError | null, res: Record<string, unknown>) => void) => void;

function median(values: number[]): number {
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function timed(runs: number, once: () => Promise<unknown>): Promise<number> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function bind(server: grpc.Server): Promise<string> {
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : ok(p)))
  );
  return `127.0.0.1:${port}`;
}

function unary(
  service: grpc.ServiceDefinition,
  address: string,
  method: string
): (req: object) => Promise<Record<string, unknown>> {
  const Ctor = grpc.makeGenericClientConstructor(service, 'bench');
  const client = new Ctor(address, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
  }) as unknown as Record<string, Unary>;
  return (req) =>
    new Promise((ok, fail) => client[method].call(client, req, (err, res) => (err ? fail(err) : ok(res))));
}

async function queryDataRoundTrip(): Promise<void> {
  const frame = benchFrame(100_000);
  const backend: PluginBackend = {
    queryData: async (queries) => {
      const out: Record<string, DataQueryResponse> = {};
      queries.forEach((q) => (out[q.refId] = { frames: [{ ...frame, refId: q.refId }], status: 200 }));
      return out;
    },
    checkHealth: async () => ({ status: 'OK', message: '', details: {} }),
    callResource: async () => ({ status: 404, headers: {}, body: new Uint8Array() }),
    collectMetrics: async () => '',
  };
  const { server } = createPluginServer(backend, new HclogLogger({ write: () => true }, 'error'), () => undefined);
  const address = await bind(server);
  const queryData = unary(DataService, address, 'QueryData');
  const request = { pluginContext: {}, queries: [{ refId: 'A', json: Buffer.from('{"queryType":"flows"}') }] };
  let bytes = 0;
  const ours = await timed(RUNS, async () => {
    const res = (await queryData(request)) as { responses: Record<string, { frames: Uint8Array[] }> };
    bytes = res.responses.A.frames[0].length;
  });

  // Peer: the transport floor, a grpc-js unary call carrying the same Arrow bytes with no encoding work.
  const payload = Buffer.alloc(bytes, 7);
  const echo = serviceDefinition('bench.Echo', { Send: { request: 'plugin.Empty', response: 'plugin.StdioData' } });
  const echoServer = new grpc.Server({ 'grpc.max_send_message_length': -1 });
  echoServer.addService(echo, {
    Send: (_c: unknown, cb: (e: null, r: object) => void) => cb(null, { channel: 1, data: payload }),
  });
  const send = unary(echo, await bind(echoServer), 'Send');
  const peer = await timed(RUNS, () => send({}));
  report({
    bench: 'backend QueryData round trip 100k rows',
    unit: 'ms',
    ours: round(ours),
    peer: `grpc-js unary of the same ${round(bytes / 1e6)} MB`,
    peerValue: round(peer),
  });
  server.forceShutdown();
  echoServer.forceShutdown();
}

function startToFirstLine(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      const ms = performance.now() - started;
      child.kill('SIGKILL');
      ok(ms);
    });
    child.on('error', fail);
  });
}

async function executable(): Promise<void> {
  if (!existsSync(EXECUTABLE)) {
    process.stderr.write(`${EXECUTABLE} is missing: run npm run build:backend for the size and cold start lines\n`);
    return;
  }
  report({
    bench: 'backend executable size',
    unit: 'MB',
    ours: round(statSync(EXECUTABLE).size / 1e6),
    peer: 'the Node binary inside it',
    peerValue: round(statSync(process.execPath).size / 1e6),
  });
  const env = { PATH: process.env.PATH, grafana_plugin_type: 'datasource' };
  const ours = median(await sequence(RUNS, () => startToFirstLine(EXECUTABLE, [], env)));
  const peer = median(
    await sequence(RUNS, () => startToFirstLine(process.execPath, ['-e', 'console.log("hello")'], env))
  );
  report({
    bench: 'backend cold start to handshake',
    unit: 'ms',
    ours: round(ours),
    peer: 'node -e hello world',
    peerValue: round(peer),
  });
}

async function sequence(n: number, run: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await run());
  }
  return out;
}

(async () => {
  await queryDataRoundTrip();
  await executable();
})().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
