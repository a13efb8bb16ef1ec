// The drops and traceNetwork queries with Jaeger as the trace store, Jaeger answering as a real v1.75.0 did.
import type { NetworkEvent } from '../../model/events';
import { FAILED_PAYMENT_SPAN, FAILED_PAYMENT_TRACE } from '../testkit/jaeger/checkoutSpans';
import { answerOf, startFakeJaegerGrpc, type FakeJaegerGrpc } from '../testkit/jaeger/fakeJaegerGrpc';
import { recordedGrpc, recordedHttp, RECORDED_WINDOW } from '../testkit/jaeger/recordedJaeger';
import type { Frame } from '../frames/frame';
import { dropsQuery } from './drops';
import { expectArrowRoundTrip } from '../testkit/arrowRoundTrip';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody } from '../testkit/scenario';
import { traceNetworkQuery } from './traceNetwork';

const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;
// The recorded failed payment call ran from +10 ms to +3010 ms of the checkout.
const CALL_START_US = 1_795_260_793_341_694;

const paymentDrop: NetworkEvent = {
  kind: 'drop',
  time: CALL_START_US + 1_000,
  endTime: CALL_START_US + 2_990_000,
  transport: 'tcp',
  source: 'nflog',
  node: 'node-a',
  src: { ip: '10.0.0.5', port: 41000, pod: 'frontend-1', namespace: 'shop', service: 'frontend' },
  dst: { ip: '10.96.14.2', port: 8443, namespace: 'shop', service: 'payments' },
  drop: { reason: 'policy_denied', verdict: 'dropped', attempts: 3 },
};

describe('queries with Jaeger as the trace store', () => {
  let agent: LoopbackUpstream;
  let http: LoopbackUpstream;
  let grpc: FakeJaegerGrpc;

  beforeAll(async () => {
    agent = await startLoopbackUpstream((path) =>
      path === '/api/v1/events' ? { body: agentEventsBody([paymentDrop]) } : undefined
    );
    http = await startLoopbackUpstream((path) => {
      const recorded = recordedHttp(path.endsWith(FAILED_PAYMENT_TRACE) ? 'traceById' : 'traceByIdUnknown');
      return { status: recorded.status, body: recorded.body };
    });
    grpc = await startFakeJaegerGrpc((method) =>
      answerOf(recordedGrpc(method === 'FindTraces' ? 'findByPod' : 'getTrace'))
    );
  });
  afterAll(async () => Promise.all([agent.close(), http.close(), grpc.close()]));

  const jsonData = () => ({
    traceStore: 'jaeger' as const,
    agentUrls: [agent.url],
    jaeger: { url: http.url, grpcUrl: grpc.url, datasourceUid: 'jaeger-uid' },
    // Configured but not the store: never asked.
    tempo: { url: 'http://127.0.0.1:1', datasourceUid: 'tempo-uid' },
  });

  it('matches a drop to the failed span Jaeger holds and links its trace to the Jaeger datasource', async () => {
    const ctx = queryContext({ queryType: 'drops' }, jsonData(), RECORDED_WINDOW);
    const [drops, matches] = await dropsQuery(ctx);
    expectArrowRoundTrip([drops, matches]);
    expect(ctx.notices).toEqual([]);
    expect(field(drops, 'trace_id').values).toEqual([FAILED_PAYMENT_TRACE]);
    expect(field(drops, 'confidence').values[0]).toBeGreaterThanOrEqual(0.8);
    expect(field(matches, 'span_id').values).toEqual([FAILED_PAYMENT_SPAN]);
    expect(field(drops, 'trace_id').config?.links?.[0]).toEqual({
      title: 'Open trace in Jaeger',
      url: '',
      internal: { datasourceUid: 'jaeger-uid', datasourceName: 'Jaeger', query: { query: '${__value.raw}' } },
    });
    expect(matches.meta?.executedQueryString).toBe('FindTraces {k8s.pod.name=frontend-1}');
  });

  it('answers the drops with a notice naming Jaeger when its search port is down', async () => {
    const closed = await startFakeJaegerGrpc(() => ({ chunks: [] }));
    await closed.close();
    const ctx = queryContext(
      { queryType: 'drops' },
      { ...jsonData(), jaeger: { url: http.url, grpcUrl: closed.url } },
      RECORDED_WINDOW
    );
    const [drops] = await dropsQuery(ctx);
    expect(field(drops, 'src_pod').values).toEqual(['frontend-1']);
    expect(field(drops, 'matched_spans').values).toEqual([0]);
    expect(ctx.notices.map((n) => n.text)).toEqual([
      expect.stringMatching(/^Partial results: Jaeger failed \(Jaeger gRPC unreachable at http:\/\/127\.0\.0\.1:\d+/),
    ]);
  });

  it('shows the trace from Jaeger with the drop on its failed span', async () => {
    const ctx = queryContext({ queryType: 'traceNetwork', traceId: FAILED_PAYMENT_TRACE }, jsonData(), RECORDED_WINDOW);
    const [trace] = await traceNetworkQuery(ctx);
    expectArrowRoundTrip([trace]);
    expect(trace.meta?.preferredVisualisationType).toBe('trace');
    expect(field(trace, 'spanID').values).toHaveLength(3);
  });

  it('names Jaeger when the trace is unknown or Jaeger is not configured', async () => {
    const unknown = queryContext({ queryType: 'traceNetwork', traceId: 'beef' }, jsonData(), RECORDED_WINDOW);
    await expect(traceNetworkQuery(unknown)).rejects.toMatchObject({
      status: 404,
      message: 'trace 0000000000000000000000000000beef was not found in Jaeger',
    });
    const unset = queryContext(
      { queryType: 'traceNetwork', traceId: 'beef' },
      { traceStore: 'jaeger', tempo: { url: http.url } },
      RECORDED_WINDOW
    );
    await expect(traceNetworkQuery(unset)).rejects.toThrow('traceNetwork needs Jaeger: set jsonData.jaeger.url');
  });
});
