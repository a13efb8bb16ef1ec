// The Jaeger trace store against the real Jaeger v1.75.0 (the cached test peer, in memory on loopback): spans sent
// over OTLP are found by pod over gRPC, read back by id over HTTP, and a stopped Jaeger is a named failure.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  checkoutSpans,
  FAILED_PAYMENT_SPAN,
  FAILED_PAYMENT_TRACE,
  REFUSED_INVENTORY_TRACE,
  sendSpans,
  UNKNOWN_TRACE,
  waitForTraces,
} from '../../backend/testkit/jaeger/checkoutSpans';
import { startJaeger, type RunningJaeger } from '../../backend/testkit/jaeger/jaegerProcess';
import { spanAt } from '../../backend/clients/spanBatch';
import { DatasourceInstance } from '../../backend/instance/datasourceInstance';
import { checkUpstreams } from '../../backend/health/checkUpstreams';

// Where scripts/peers builds the jaeger peer; the integration tier may name another build.
const BINARY = process.env.WIRETRACE_JAEGER_BINARY ?? join(homedir(), '.cache/wiretrace/bin/jaeger-v1.75.0/jaeger');

describe('Jaeger as the trace store, live', () => {
  let jaeger: RunningJaeger;
  let instance: DatasourceInstance;
  const nowMs = Date.now();
  const range = { fromMs: nowMs - 10 * 60_000, toMs: nowMs + 60_000 };

  beforeAll(async () => {
    if (!existsSync(BINARY)) {
      throw new Error(`the Jaeger test peer is not built at ${BINARY} (scripts/peers/jaeger.peer.mjs builds it)`);
    }
    jaeger = await startJaeger(BINARY);
    await sendSpans(jaeger.otlpHttpUrl, checkoutSpans(BigInt(nowMs - 60_000) * 1_000_000n));
    await waitForTraces(jaeger.httpUrl, { [FAILED_PAYMENT_TRACE]: 3, [REFUSED_INVENTORY_TRACE]: 1 });
    instance = new DatasourceInstance({
      uid: 'live-jaeger',
      name: 'Wiretrace',
      jsonData: { traceStore: 'jaeger', jaeger: { url: jaeger.httpUrl, grpcUrl: jaeger.grpcUrl } },
      secure: {},
    });
  });
  afterAll(async () => jaeger?.stop());

  it('finds the failed client span of a pod, and only it, by its resource attributes', async () => {
    const result = await instance.traceStore.searchClientSpans({ pods: ['frontend-1'], range, limit: 20 });
    expect(result.spans.size).toBe(1);
    expect(spanAt(result.spans, 0)).toMatchObject({
      traceId: FAILED_PAYMENT_TRACE,
      spanId: FAILED_PAYMENT_SPAN,
      status: { code: 'error', message: 'connect ETIMEDOUT 10.96.14.2:8443' },
      resource: { 'k8s.pod.name': 'frontend-1' },
      attributes: { 'server.address': 'payments.shop.svc.cluster.local', 'server.port': 8443 },
    });
    const other = await instance.traceStore.searchClientSpans({ pods: ['checkout-2'], range, limit: 20 });
    expect(Array.from({ length: other.spans.size }, (_, i) => spanAt(other.spans, i).traceId)).toEqual([
      REFUSED_INVENTORY_TRACE,
    ]);
    const none = await instance.traceStore.searchClientSpans({ pods: ['no-such-pod'], range, limit: 20 });
    expect(none.spans.size).toBe(0);
  });

  it('reads a trace by id, and an unknown one as none', async () => {
    const trace = await instance.traceStore.traceById(FAILED_PAYMENT_TRACE, range);
    expect(trace?.spans.map((s) => s.spanId).sort()).toEqual(
      ['00f067aa0ba902b7', '3a1f5c1d2e4b6a70', 'b7ad6b7169203331'].sort()
    );
    await expect(instance.traceStore.traceById(UNKNOWN_TRACE, range)).resolves.toBeUndefined();
  });

  it('passes the health check on both ports, and names Jaeger unreachable once it stops', async () => {
    const healthy = await checkUpstreams(instance, new AbortController().signal);
    expect(healthy.status).toBe('OK');
    await jaeger.stop();
    await expect(
      instance.traceStore.searchClientSpans({ pods: ['frontend-1'], range, limit: 20 })
    ).rejects.toMatchObject({
      status: 502,
      source: 'downstream',
      message: expect.stringMatching(/^Jaeger gRPC unreachable/),
    });
    const down = await checkUpstreams(instance, new AbortController().signal);
    expect(down.status).toBe('ERROR');
    expect(down.details.upstreams).toEqual([
      expect.objectContaining({ name: 'Jaeger', state: 'unreachable' }),
      expect.objectContaining({ name: 'Jaeger gRPC', state: 'unreachable' }),
    ]);
  });
});
