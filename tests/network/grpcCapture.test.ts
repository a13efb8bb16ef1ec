// gRPC over cleartext HTTP/2 between real grpc-js peers on a namespace's loopback: `analyze` on the capture names
// each call's service, method, grpc-status and message as tshark's http2 dissector reads them and as the client saw
// them, carries the traceparent the client sent, and finds no malformed stream.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { hasCommand, waitFor } from '../netns/shell';
import { stopWhenSettled } from './settledCapture';
import { agentBuilt, analyze, type AnalyzeResult } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const PORT = 50051;
const SERVER = require.resolve('../netns/podScripts/grpcServer.mjs');
const CLIENT = require.resolve('../netns/podScripts/grpcClient.mjs');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const CALLS = [
  { path: '/shop.Orders/Get', body: '7', metadata: { traceparent: TRACEPARENT } },
  { path: '/shop.Orders/Cancel', body: '7' },
  { path: '/shop.Orders/Get', body: '8' },
];

interface SeenCall {
  path: string;
  grpcStatus?: number;
  grpcMessage?: string;
  traceparent?: string;
}

type Json = Record<string, unknown>;
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// tshark's HEADERS frames per stream: the request's :path and traceparent, the trailers' grpc-status and message.
function tsharkCalls(capture: string): SeenCall[] {
  const out = execFileSync(
    'tshark',
    [
      '-r',
      capture,
      '-d',
      `tcp.port==${PORT},http2`,
      '-Y',
      'http2.type==1',
      '-T',
      'json',
      '-J',
      'http2',
      '--no-duplicate-keys',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
  );
  const streams = new Map<number, SeenCall>();
  for (const packet of JSON.parse(out) as Array<{ _source: { layers: { http2: Json | Json[] } } }>) {
    for (const layer of asList(packet._source.layers.http2)) {
      for (const frame of asList(layer['http2.stream'] as Json | Json[])) {
        if (frame['http2.type'] !== '1') {
          continue;
        }
        const id = Number(frame['http2.streamid']);
        const call = streams.get(id) ?? { path: '' };
        streams.set(id, call);
        for (const h of asList(frame['http2.header'] as Json | Json[])) {
          const [name, value] = [h['http2.header.name'] as string, h['http2.header.value'] as string];
          if (name === ':path') {
            call.path = value;
          } else if (name === 'grpc-status') {
            call.grpcStatus = Number(value);
          } else if (name === 'grpc-message') {
            call.grpcMessage = decodeURIComponent(value);
          } else if (name === 'traceparent') {
            call.traceparent = value;
          }
        }
      }
    }
  }
  return [...streams.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
}

function closingSegments(capture: string): number {
  const out = execFileSync('tcpdump', ['-nr', capture, 'tcp[tcpflags] & (tcp-fin|tcp-rst) != 0'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.trim()).length;
}

describeNetwork('gRPC over cleartext HTTP/2 (grpc-js peers)', () => {
  let lo: LoopbackNamespace;
  let clientSaw: Array<{ path: string; code: number; details: string }>;
  let capture: string;
  let result: AnalyzeResult;
  let calls: NetworkEvent[];
  let tshark: SeenCall[];

  it('has tshark to compare with', () => {
    expect(hasCommand('tshark')).toBe(true);
  });

  beforeAll(async () => {
    lo = LoopbackNamespace.create('grpc');
    capture = join(lo.workDir, 'grpc.pcap');
    const tcpdump = await lo.start(
      'tcpdump',
      ['-i', 'lo', '-U', '-w', capture, `tcp port ${PORT}`],
      /listening on/,
      'tcpdump'
    );
    await lo.start(NODE_JS, [SERVER, '127.0.0.1', String(PORT)], /listening/, 'the gRPC server');
    const out = await lo.run(NODE_JS, [CLIENT, `127.0.0.1:${PORT}`, JSON.stringify(CALLS)]);
    clientSaw = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // tcpdump loses what it has not written when stopped: wait until the connection's close is in the file, then
    // for the file to stop growing.
    await waitFor(() => closingSegments(capture) > 0, 60_000, 'the connection close in the capture');
    await stopWhenSettled(tcpdump, capture, 30_000);
    result = await analyze(['--pcap', capture]);
    tshark = tsharkCalls(capture);
    calls = result.events.filter((e) => e.kind === 'http').sort((a, b) => a.time - b.time);
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('the client saw one OK, one NOT_FOUND and one OK call', () => {
    expect(clientSaw.map((c) => [c.path, c.code])).toEqual([
      ['/shop.Orders/Get', 0],
      ['/shop.Orders/Cancel', 5],
      ['/shop.Orders/Get', 0],
    ]);
  });

  it('reports each call as a grpc http event with the method and status tshark reads', () => {
    expect(result.code).toBe(0);
    const ours = calls.map((e) => ({
      path: e.http!.path,
      grpcStatus: e.http!.grpc?.status,
      grpcMessage: e.http!.grpc?.message,
    }));
    const theirs = tshark.map(({ path, grpcStatus, grpcMessage }) => ({ path, grpcStatus, grpcMessage }));
    expect(theirs).toHaveLength(CALLS.length);
    expect(ours).toEqual(theirs);
    expect(calls.map((e) => [e.http!.protocol, e.http!.method, e.http!.grpc?.service, e.http!.grpc?.method])).toEqual([
      ['grpc', 'POST', 'shop.Orders', 'Get'],
      ['grpc', 'POST', 'shop.Orders', 'Cancel'],
      ['grpc', 'POST', 'shop.Orders', 'Get'],
    ]);
    // The failing call's status and message are what the client got.
    expect(calls[1].http!.grpc).toMatchObject({ status: 5, statusName: 'NOT_FOUND', message: clientSaw[1].details });
    expect(calls.every((e) => e.http!.status === 200 && e.http!.latencyUs! >= 0 && e.endTime! >= e.time)).toBe(true);
  });

  it('carries the traceparent metadata of the traced call, and only there', () => {
    expect(tshark[0].traceparent).toBe(TRACEPARENT);
    expect(calls.map((e) => e.traceId)).toEqual(['0af7651916cd43dd8448eb211c80319c', undefined, undefined]);
    expect(calls[0].spanId).toBe('b7ad6b7169203331');
  });

  it('labels the connection grpc and counts no malformed stream', () => {
    const flows = result.events.filter((e) => e.kind === 'flow');
    expect(flows.map((f) => f.flow!.appProtocol)).toEqual(['grpc']);
    expect(result.stderr).toMatch(/"appParseErrors":0/);
  });
});
