import * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import type { NetworkEvent } from '../../../model/events';
import { hubbleProtoRoot } from '../../proto';
import { encodeFlowsResponse, flowsResponseMessageFromJson } from './flowMessages';
import { readHubbleJsonFile } from './jsonLines';
import { decodeGetFlowsRequest } from './observerRequest';
import { GET_FLOWS_PATH, HubbleObserverSource } from './observerSource';
import { FLOWS_JSONL_PATH, fixtureLines } from '../../testkit/hubbleFlows';

// The fixture lines a real server could send: everything but the deliberately malformed lines.
function fixtureMessages(): protobuf.Message[] {
  const out: protobuf.Message[] = [];
  for (const line of fixtureLines()) {
    try {
      out.push(flowsResponseMessageFromJson(JSON.parse(line)));
    } catch {
      // Malformed on purpose; the JSON test covers them.
    }
  }
  return out;
}

type Handler = (call: grpc.ServerWritableStream<Buffer, Uint8Array>) => void;

async function startObserver(handler: Handler): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  server.addService(
    {
      GetFlows: {
        path: GET_FLOWS_PATH,
        requestStream: false,
        responseStream: true,
        requestSerialize: (b: Buffer) => b,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (b: Uint8Array) => Buffer.from(b),
        responseDeserialize: (b: Buffer) => b,
      },
    },
    { GetFlows: handler }
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p)
    )
  );
  return { server, address: `127.0.0.1:${port}` };
}

function requestObject(bytes: Buffer) {
  return hubbleProtoRoot()
    .lookupType('observer.GetFlowsRequest')
    .toObject(decodeGetFlowsRequest(bytes), { enums: String, longs: String });
}

describe('HubbleObserverSource against a local GetFlows server', () => {
  let server: grpc.Server | undefined;
  afterEach(() => server?.forceShutdown());

  it('sends the request options and yields the same events as the JSON form of the same flows', async () => {
    const requests: Array<Record<string, unknown>> = [];
    const started = await startObserver((call) => {
      requests.push(requestObject(call.request));
      for (const message of fixtureMessages()) {
        call.write(encodeFlowsResponse(message));
      }
      call.end();
    });
    server = started.server;

    const viaGrpc: NetworkEvent[] = [];
    const source = new HubbleObserverSource(
      {
        address: started.address,
        since: '2026-03-02T10:00:00Z',
        number: 500,
        whitelist: [{ verdict: ['DROPPED', 'AUDIT'], source_pod: ['shop/'] }, { protocol: ['http'] }],
        blacklist: [{ destination_label: ['k8s:app=noise'] }],
      },
      (e) => viaGrpc.push(e)
    );
    await source.run();

    const viaJson: NetworkEvent[] = [];
    await readHubbleJsonFile(FLOWS_JSONL_PATH, (e) => viaJson.push(e));
    expect(viaGrpc).toEqual(viaJson);
    expect(viaGrpc).toHaveLength(8);
    expect(source.counters).toMatchObject({ flows: 10, events: 8, lostUpstream: 17, malformed: 0 });

    expect(requests).toEqual([
      {
        number: '500',
        follow: false,
        first: false,
        since: { seconds: String(Date.UTC(2026, 2, 2, 10) / 1000), nanos: 0 },
        whitelist: [{ verdict: ['DROPPED', 'AUDIT'], source_pod: ['shop/'] }, { protocol: ['http'] }],
        blacklist: [{ destination_label: ['k8s:app=noise'] }],
      },
    ]);
  });

  it('in follow mode reopens a broken stream from the last flow and delivers no flow twice', async () => {
    const messages = fixtureMessages();
    const sinces: unknown[] = [];
    let calls = 0;
    const started = await startObserver((call) => {
      sinces.push(requestObject(call.request).since);
      calls++;
      if (calls === 1) {
        // First five messages, then the stream breaks.
        messages.slice(0, 5).forEach((m) => call.write(encodeFlowsResponse(m)));
        setTimeout(() => call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'relay restarting' }), 50);
      } else {
        // The resumed stream overlaps: it repeats what was already sent, then continues.
        messages.forEach((m) => call.write(encodeFlowsResponse(m)));
      }
    });
    server = started.server;

    const events: NetworkEvent[] = [];
    const source = new HubbleObserverSource(
      { address: started.address, follow: true, reconnectInitialMs: 20, reconnectMaxMs: 40 },
      (e) => {
        events.push(e);
        if (events.length === 8) {
          source.stop();
        }
      }
    );
    // Never leave a reconnecting client behind if the assertion below is not reached.
    const guard = setTimeout(() => source.stop(), 20_000);
    await source.run();
    clearTimeout(guard);

    const expected: NetworkEvent[] = [];
    await readHubbleJsonFile(FLOWS_JSONL_PATH, (e) => expected.push(e));
    expect(events).toEqual(expected);
    expect(source.counters.reconnects).toBeGreaterThanOrEqual(1);
    expect(source.counters.streamErrors).toBeGreaterThanOrEqual(1);
    expect(sinces[0]).toBeUndefined();
    // Resumed about two seconds before the newest flow delivered (10:15:01.050).
    expect(sinces[1]).toEqual({ seconds: String(Date.UTC(2026, 2, 2, 10, 14, 59) / 1000), nanos: 50_000_000 });
  });

  it('without follow, an unreachable relay rejects with a message naming the address', async () => {
    const started = await startObserver((call) => call.end());
    const address = started.address;
    started.server.forceShutdown();
    const source = new HubbleObserverSource({ address }, () => undefined);
    await expect(source.run()).rejects.toThrow(`hubble: GetFlows from ${address} failed: UNAVAILABLE`);
  });
});
