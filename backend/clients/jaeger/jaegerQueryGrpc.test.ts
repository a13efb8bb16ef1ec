import * as grpc from '@grpc/grpc-js';
import { QueryError } from '../../datasource/types';
import { JaegerQueryGrpc } from './jaegerQueryGrpc';
import { TRACES_DATA } from './jaegerSchema';
import { startFakeJaegerGrpc, type FakeAnswer, type FakeJaegerGrpc } from '../../testkit/jaeger/fakeJaegerGrpc';

const TOKEN = 'jaeger-tok-91c2e7';

function tracesChunk(traceIdHex: string): Buffer {
  const message = TRACES_DATA.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.from(traceIdHex, 'hex'),
                spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                name: 'POST',
                kind: 3,
                startTimeUnixNano: '1795260793341694328',
                endTimeUnixNano: '1795260796341694328',
                attributes: [{ key: 'server.port', value: { intValue: 8443 } }],
                status: { code: 2, message: 'connect ETIMEDOUT' },
              },
            ],
          },
        ],
      },
    ],
  });
  return Buffer.from(TRACES_DATA.encode(message).finish());
}

describe('JaegerQueryGrpc', () => {
  let fake: FakeJaegerGrpc;
  let next: FakeAnswer;

  beforeAll(async () => {
    fake = await startFakeJaegerGrpc(() => next, ['frontend', 'checkout']);
  });
  afterAll(() => fake.close());

  const client = (url = fake.url) =>
    new JaegerQueryGrpc({ name: 'Jaeger gRPC', url, credentials: { kind: 'bearer', token: TOKEN }, timeoutMs: 30_000 });

  it('sends the search with attributes, window and depth, and the token as metadata', async () => {
    next = { chunks: [tracesChunk('0af7651916cd43dd8448eb211c80319c')] };
    const chunks = await client().findTraces({
      attributes: { 'k8s.pod.name': 'frontend-1' },
      startTimeMinMs: 1_795_260_733_331,
      startTimeMaxMs: 1_795_260_853_331,
      searchDepth: 40,
    });
    const call = fake.calls[fake.calls.length - 1];
    expect(call.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.request.query).toEqual({
      attributes: { 'k8s.pod.name': 'frontend-1' },
      startTimeMin: { seconds: 1_795_260_733, nanos: 331_000_000 },
      startTimeMax: { seconds: 1_795_260_853, nanos: 331_000_000 },
      searchDepth: 40,
    });
    // Decoded as OTLP JSON is written: int64 as decimal strings, ids as base64 of their bytes.
    const span = (chunks[0] as { resourceSpans: Array<{ scopeSpans: Array<{ spans: object[] }> }> }).resourceSpans[0]
      .scopeSpans[0].spans[0];
    expect(span).toMatchObject({
      traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64'),
      startTimeUnixNano: '1795260793341694328',
      kind: 3,
      attributes: [{ key: 'server.port', value: { intValue: '8443' } }],
      status: { code: 2, message: 'connect ETIMEDOUT' },
    });
  });

  it('answers NOT_FOUND ("no traces found") as no chunks, not as a failure', async () => {
    next = { code: grpc.status.NOT_FOUND, details: 'trace not found' };
    await expect(client().getTrace('0af7651916cd43dd8448eb211c80319c')).resolves.toEqual([]);
  });

  it('keeps the status of a refused request and never shows the token', async () => {
    next = { code: grpc.status.INVALID_ARGUMENT, details: `bad query from Bearer ${TOKEN}` };
    const err = await client()
      .findTraces({ startTimeMinMs: 0, startTimeMaxMs: 1, searchDepth: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect(err).toMatchObject({ status: 400, source: 'downstream' });
    expect((err as Error).message).toContain('[redacted]');
    expect((err as Error).message).not.toContain(TOKEN);
  });

  it('names an unreachable endpoint as a downstream 502', async () => {
    // A port that was just free: nothing listens there.
    const closed = await startFakeJaegerGrpc(() => next);
    await closed.close();
    const err = await client(closed.url)
      .services()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, source: 'downstream' });
    expect((err as Error).message).toMatch(/^Jaeger gRPC unreachable at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('lists services and cancels with the caller', async () => {
    await expect(client().services()).resolves.toEqual(['checkout', 'frontend']);
    const aborted = new AbortController();
    aborted.abort();
    await expect(client().services(aborted.signal)).rejects.toMatchObject({ status: 499 });
  });

  it('refuses a URL that is not http or https', () => {
    expect(() => client('grpc://jaeger:16685')).toThrow('Jaeger gRPC URL must be http or https, got grpc:');
  });
});
