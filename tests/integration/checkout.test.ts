// Integration through real parts: Tempo, Loki, the agent capturing a real policy drop, spans from the real
// OpenTelemetry SDK, and the backend executable queried as Grafana queries it. Needs root and `npm run stack`
// (the integration tier starts the stack itself).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it, type TestContext } from 'node:test';
import { LOKI_URL, OTLP_HTTP_URL, TEMPO_URL } from '../../scripts/stack/servers.mjs';
import { REPO_ROOT } from '../../scripts/stack/paths.mjs';
import {
  type BackendQueryClient,
  type DatasourceSettings,
  type FrameJson,
  PluginQueryClient,
  buildPluginQuery,
  frameRows,
} from './backendQuery.ts';
import { grafanaQueryClient } from './grafanaDatasource.ts';
import {
  CATALOG,
  FRONTEND,
  PAYMENTS,
  PAYMENTS_PORT,
  type CheckoutScenario,
  runCheckoutScenario,
} from './checkoutScenario.ts';

let scenario: CheckoutScenario;
let backend: BackendQueryClient;
let disposeBackend: () => Promise<void> = async () => {};

async function assertReady(name: string, url: string): Promise<void> {
  const response = await fetch(`${url}/ready`).catch((err: Error) => ({ ok: false, status: err.message }));
  assert.ok(response.ok, `${name} is not ready at ${url} (${response.status}); run npm run stack first`);
}

function range(): { fromMs: number; toMs: number } {
  return { fromMs: scenario.startedMs - 5 * 60_000, toMs: Date.now() + 60_000 };
}

function frameNamed(frames: FrameJson[], name: string): FrameJson {
  const frame = frames.find((f) => f.name === name);
  assert.ok(frame, `no "${name}" frame among ${frames.map((f) => f.name).join(', ') || 'none'}`);
  return frame;
}

// Frames of one query; null (and the test skipped, saying so) while the backend has no handler for its type.
async function queryOne(t: TestContext, query: Record<string, unknown>): Promise<FrameJson[] | null> {
  const responses = await backend.query([query], range());
  const response = Object.values(responses)[0];
  assert.ok(response, 'no response for the query');
  if (response.status === 501) {
    t.skip(`the backend has no "${String(query.queryType)}" query yet (501: ${response.error ?? ''})`);
    return null;
  }
  assert.equal(
    response.status,
    200,
    `query ${JSON.stringify(query)} answered ${response.status}: ${response.error ?? ''}`
  );
  return response.frames;
}

describe('checkout through a NetworkPolicy drop', { timeout: 600_000 }, () => {
  before(async () => {
    await assertReady('Tempo', TEMPO_URL);
    await assertReady('Loki', LOKI_URL);
    // The executables under test, built from the working tree.
    execFileSync(process.execPath, ['scripts/build-backend.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, ['scripts/build-agent.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const pluginQuery = process.env.GRAFANA_URL ? null : buildPluginQuery();
    scenario = await runCheckoutScenario({ tempo: TEMPO_URL, loki: LOKI_URL, otlpHttp: OTLP_HTTP_URL });
    const settings: DatasourceSettings = {
      uid: 'wiretrace-integration',
      name: 'Wiretrace integration',
      jsonData: {
        tempo: { url: TEMPO_URL },
        loki: { url: LOKI_URL },
        agentUrls: [scenario.agent.url],
        timeoutMs: 20_000,
      },
      secureJsonData: {},
    };
    if (process.env.GRAFANA_URL) {
      const grafana = await grafanaQueryClient(process.env.GRAFANA_URL, settings);
      backend = grafana.client;
      disposeBackend = grafana.dispose;
    } else {
      backend = new PluginQueryClient(pluginQuery!, settings);
    }
  });

  after(async () => {
    await disposeBackend();
    await scenario?.cleanup();
  });

  it('the agent reports the denied connection as an unanswered SYN from the frontend pod', () => {
    const { drop, paymentSpan } = scenario;
    assert.equal(drop.drop?.reason, 'unanswered_syn');
    assert.equal(drop.src.pod, FRONTEND.name);
    assert.equal(drop.src.namespace, FRONTEND.namespace);
    assert.equal(drop.dst.pod, PAYMENTS.name);
    assert.equal(drop.dst.port, PAYMENTS_PORT);
    // Agent times are microseconds; the first SYN went out inside the client span.
    assert.ok(
      drop.time >= paymentSpan.startMs * 1000 - 5_000 && drop.time <= paymentSpan.endMs * 1000,
      'drop starts inside the payment span'
    );
  });

  it('drops: the drop is joined to the failed payment span with high confidence, and says why', async (t) => {
    const frames = await queryOne(t, {
      refId: 'A',
      queryType: 'drops',
      namespace: FRONTEND.namespace,
      pod: FRONTEND.name,
      slackMs: 500,
    });
    if (!frames) {
      return;
    }
    const rows = frameRows(frameNamed(frames, 'drops')).filter(
      (r) => r.src_ip === FRONTEND.ip && r.dst_port === PAYMENTS_PORT
    );
    assert.ok(rows.length >= 1, 'the payment drop is listed');
    const row = rows.find((r) => r.trace_id === scenario.failedTraceId);
    assert.ok(row, `a drop row carries the failed trace ${scenario.failedTraceId}: ${JSON.stringify(rows)}`);
    assert.equal(row.reason, 'unanswered_syn');
    assert.equal(row.span, scenario.paymentSpan.name);
    assert.ok(Number(row.confidence) >= 0.8, `high confidence, got ${row.confidence}`);
    assert.match(String(row.why), /payments/, 'why names the destination');

    // The catalog call of the same checkout ran just before; if it is a candidate at all it must rank lower.
    const matches = frameRows(frameNamed(frames, 'drop_span_matches')).filter(
      (m) => m.trace_id === scenario.failedTraceId
    );
    const payment = matches.find((m) => m.span_id === scenario.paymentSpan.spanId);
    assert.ok(payment, 'the payment span is among the matches');
    for (const m of matches.filter((x) => x.span_id === scenario.catalogSpan.spanId)) {
      assert.ok(Number(m.confidence) < Number(payment.confidence), 'the catalog span ranks below the payment span');
    }
    assert.ok(!matches.some((m) => m.trace_id === scenario.okTraceId), 'the successful checkout is not blamed');
  });

  it('traceNetwork: the failed trace shows the drop inside it', async (t) => {
    const frames = await queryOne(t, { refId: 'A', queryType: 'traceNetwork', traceId: scenario.failedTraceId });
    if (!frames) {
      return;
    }
    const trace = frames.find((f) => f.meta?.preferredVisualisationType === 'trace');
    assert.ok(trace, `a trace frame among ${frames.map((f) => f.name).join(', ')}`);
    const rows = frameRows(trace);
    const spanIds = new Set(rows.map((r) => r.spanID));
    for (const span of [scenario.paymentSpan, scenario.catalogSpan]) {
      assert.ok(spanIds.has(span.spanId), `span ${span.name} is in the trace frame`);
    }
    // The drop appears as a network row under (or as an event of) the payment span, within the trace's time.
    const dropRows = rows.filter((r) => JSON.stringify(r).includes('unanswered_syn'));
    assert.ok(dropRows.length >= 1, `the drop is shown in the trace: ${JSON.stringify(rows).slice(0, 2000)}`);
    assert.ok(
      dropRows.some((r) => r.parentSpanID === scenario.paymentSpan.spanId || r.spanID === scenario.paymentSpan.spanId),
      'the drop hangs under the payment span'
    );
  });

  it('traceNetwork: the successful trace shows the catalog HTTP exchange the agent saw', async (t) => {
    const frames = await queryOne(t, { refId: 'A', queryType: 'traceNetwork', traceId: scenario.okTraceId });
    if (!frames) {
      return;
    }
    const trace = frames.find((f) => f.meta?.preferredVisualisationType === 'trace');
    assert.ok(trace, 'a trace frame');
    const rows = frameRows(trace);
    assert.ok(!JSON.stringify(rows).includes('unanswered_syn'), 'no drop in the successful trace');
    assert.ok(
      rows.some((r) => r.parentSpanID === scenario.okCatalogSpan.spanId && JSON.stringify(r).includes(CATALOG.ip)),
      `the HTTP exchange with ${CATALOG.ip} hangs under the catalog span: ${JSON.stringify(rows).slice(0, 2000)}`
    );
  });

  it('logs: the failed trace’s log lines come back by trace id, and only those', async (t) => {
    const frames = await queryOne(t, { refId: 'A', queryType: 'logs', traceId: scenario.failedTraceId });
    if (!frames) {
      return;
    }
    const lines = frames
      .flatMap((f) => f.fields.filter((field) => field.type.includes('string')).flatMap((field) => field.values))
      .filter((v): v is string => typeof v === 'string' && v.startsWith('{') && v.includes('"msg"'));
    assert.equal(lines.length, scenario.failedTraceLogLines, `log lines: ${JSON.stringify(lines)}`);
    for (const line of lines) {
      assert.equal(JSON.parse(line).trace_id, scenario.failedTraceId);
    }
    assert.ok(lines.some((l) => l.includes('payment failed: connect ETIMEDOUT')));
  });
});
