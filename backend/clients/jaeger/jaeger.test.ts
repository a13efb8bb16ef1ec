// Contract tests: the Jaeger trace store against the answers a real Jaeger v1.75.0 gave (recorded by
// scripts/record-jaeger.mjs), replayed over loopback HTTP and gRPC.
import { UpstreamClient } from '../http';
import { spanAt } from '../spanBatch';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../testkit/loopbackUpstream';
import { JaegerClient } from './jaeger';
import { JaegerQueryGrpc } from './jaegerQueryGrpc';
import {
  FAILED_PAYMENT_SPAN,
  FAILED_PAYMENT_TRACE,
  GOOD_CART_SPAN,
  REFUSED_INVENTORY_TRACE,
  UNKNOWN_TRACE,
} from '../../testkit/jaeger/checkoutSpans';
import { answerOf, startFakeJaegerGrpc, type FakeJaegerGrpc } from '../../testkit/jaeger/fakeJaegerGrpc';
import { recordedGrpc, recordedHttp, RECORDED_WINDOW } from '../../testkit/jaeger/recordedJaeger';

describe('Jaeger trace store against recorded Jaeger answers', () => {
  let http: LoopbackUpstream;
  let grpc: FakeJaegerGrpc;
  // Which recorded FindTraces answer the next search gets.
  let findAnswer = 'findByPod';

  beforeAll(async () => {
    http = await startLoopbackUpstream((path) => {
      const recorded = recordedHttp(
        path === `/api/v3/traces/${FAILED_PAYMENT_TRACE}` ? 'traceById' : 'traceByIdUnknown'
      );
      return { status: recorded.status, body: recorded.body };
    });
    grpc = await startFakeJaegerGrpc((method) =>
      answerOf(recordedGrpc(method === 'FindTraces' ? findAnswer : 'getTrace'))
    );
  });
  afterAll(async () => Promise.all([http.close(), grpc.close()]));

  const store = () =>
    new JaegerClient(
      new UpstreamClient({ name: 'Jaeger', baseUrl: http.url }),
      new JaegerQueryGrpc({ name: 'Jaeger gRPC', url: grpc.url, timeoutMs: 30_000 })
    );

  it('reads a trace by id from /api/v3/traces/{id} (OTLP JSON in a result envelope)', async () => {
    const trace = await store().traceById(FAILED_PAYMENT_TRACE.toUpperCase(), RECORDED_WINDOW);
    expect(trace?.skipped).toBe(0);
    const spans = trace!.spans.sort((a, b) => a.startUs - b.startUs);
    expect(spans.map((s) => [s.spanId, s.kind, s.status.code])).toEqual([
      ['b7ad6b7169203331', 'server', 'unset'],
      [FAILED_PAYMENT_SPAN, 'client', 'error'],
      [GOOD_CART_SPAN, 'client', 'ok'],
    ]);
    expect(spans[1]).toMatchObject({
      traceId: FAILED_PAYMENT_TRACE,
      parentSpanId: 'b7ad6b7169203331',
      name: 'POST',
      startUs: 1_795_260_793_341_694,
      endUs: 1_795_260_796_341_694,
      status: { message: 'connect ETIMEDOUT 10.96.14.2:8443' },
      service: 'frontend',
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    });
    expect(spans[1].resource).toMatchObject({ 'k8s.pod.name': 'frontend-1', 'k8s.namespace.name': 'shop' });
    expect(spans[1].attributes).toMatchObject({
      'server.address': 'payments.shop.svc.cluster.local',
      'server.port': 8443,
      'url.full': 'http://payments.shop.svc.cluster.local:8443/charge',
    });
    expect(spans[1].events.map((e) => e.name)).toEqual(['exception']);
    const asked = http.requests[http.requests.length - 1];
    expect(asked.query.get('start_time')).toBe(new Date(RECORDED_WINDOW.fromMs).toISOString());
  });

  it('answers an unknown trace (HTTP 404 "No traces found") as none, not as a failure', async () => {
    expect(recordedHttp('traceByIdUnknown').status).toBe(404);
    await expect(store().traceById(UNKNOWN_TRACE)).resolves.toBeUndefined();
  });

  it('searches a pod over gRPC and keeps only its failed client spans, trimmed to what the join reads', async () => {
    findAnswer = 'findByPod';
    const result = await store().searchClientSpans({ pods: ['frontend-1'], range: RECORDED_WINDOW, limit: 100 });
    expect(grpc.calls[grpc.calls.length - 1].request.query).toMatchObject({
      attributes: { 'k8s.pod.name': 'frontend-1' },
      searchDepth: 100,
    });
    expect(result.traces).toBe(1);
    expect(result.spans.size).toBe(1);
    expect(spanAt(result.spans, 0)).toMatchObject({
      traceId: FAILED_PAYMENT_TRACE,
      spanId: FAILED_PAYMENT_SPAN,
      kind: 'client',
      status: { code: 'error', message: 'connect ETIMEDOUT 10.96.14.2:8443' },
      service: 'frontend',
      resource: { 'service.name': 'frontend', 'k8s.pod.name': 'frontend-1', 'k8s.namespace.name': 'shop' },
      attributes: {
        'server.address': 'payments.shop.svc.cluster.local',
        'server.port': 8443,
        'url.full': 'http://payments.shop.svc.cluster.local:8443/charge',
      },
    });
    expect(result.executedQuery).toBe('FindTraces {k8s.pod.name=frontend-1}');
  });

  it('keeps the successful client spans too when asked for all', async () => {
    findAnswer = 'findByNamespace';
    const result = await store().searchClientSpans({
      namespaces: ['shop'],
      range: RECORDED_WINDOW,
      limit: 100,
      errorsOnly: false,
    });
    const spans = Array.from({ length: result.spans.size }, (_, i) => spanAt(result.spans, i));
    expect(spans.map((s) => s.spanId).sort()).toEqual([FAILED_PAYMENT_SPAN, GOOD_CART_SPAN, 'eee19b7ec3c1b174'].sort());
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([FAILED_PAYMENT_TRACE, REFUSED_INVENTORY_TRACE]));
  });

  it('answers a search Jaeger finds nothing for with no spans', async () => {
    findAnswer = 'findNothing';
    // Jaeger 1.75.0 ends the stream with OK and no chunk (older query services answer NOT_FOUND, also empty).
    expect(recordedGrpc('findNothing')).toMatchObject({ code: 0, chunks: [] });
    const result = await store().searchClientSpans({ pods: ['no-such-pod'], range: RECORDED_WINDOW, limit: 10 });
    expect(result.spans.size).toBe(0);
    expect(result.traces).toBe(0);
  });
});

describe('what the recordings show about Jaeger 1.75.0', () => {
  it('filters by resource attributes over gRPC only: HTTP v3 search returns traces of any pod', () => {
    // gRPC FindTraces needs no service name and k8s.pod.name=checkout-2 answers only the checkout trace.
    expect(recordedGrpc('findByPodOfOtherService').chunks).toHaveLength(1);
    const http = recordedHttp('v3SearchIgnoresAttributes');
    expect(http.status).toBe(200);
    // Asked for a pod that does not exist, the HTTP API still answers the frontend trace.
    expect(http.body).toContain('frontend-1');
  });

  it('needs query.num_traces over HTTP v3 and a service in the legacy search', () => {
    expect(recordedHttp('v3SearchWithoutNumTraces')).toMatchObject({ status: 500 });
    expect(recordedHttp('v3SearchWithoutNumTraces').body).toContain('search depth must be greater than 0');
    expect(recordedHttp('legacySearchWithoutService')).toMatchObject({ status: 400 });
    expect(recordedHttp('legacySearchWithoutService').body).toContain("parameter 'service' is required");
  });

  it('does not filter by span kind, nor by OTLP error status as an "error" tag over the legacy API', () => {
    // span.kind is the span's kind, not an attribute: asked as one, nothing matches.
    expect(recordedGrpc('findSpanKindClient').chunks).toEqual([]);
    // The refused checkout call has status error, yet tag=error:true finds nothing: errors are filtered here.
    expect(JSON.parse(recordedHttp('legacySearchByErrorTag').body).data).toEqual([]);
  });
});
