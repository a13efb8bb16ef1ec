// Integration through real parts: Tempo and Loki, the agent capturing a real policy drop on the namespace
// harness, spans from the real OpenTelemetry SDK, and the backend executable queried as Grafana queries it.
// Needs root and a running stack (`npm run stack`; the integration tier starts it itself).
import { execFileSync } from 'node:child_process';
import { netnsSkipReason } from '../netns/availability';
import {
  type BackendQueryClient,
  type DatasourceSettings,
  type FrameJson,
  PluginQueryClient,
  buildPluginQuery,
  ensureBackendExecutable,
  frameRows,
} from './backendQuery';
import { type CheckoutScenario, PAYMENTS_PORT, runCheckoutScenario } from './checkoutScenario';
import { grafanaQueryClient } from './grafanaDatasource';
import { LOKI_URL, OTLP_HTTP_URL, REPO_ROOT, TEMPO_URL } from './stackEndpoints';

const skipReason = netnsSkipReason(['tcpdump', 'iptables']);
const describeIntegration = skipReason ? describe.skip : describe;

let scenario: CheckoutScenario;
let backend: BackendQueryClient;
let disposeBackend: () => Promise<void> = async () => {};

async function expectReady(name: string, url: string): Promise<void> {
  const status = await fetch(`${url}/ready`).then(
    (r) => r.status,
    (err: Error) => err.message
  );
  if (status !== 200) {
    throw new Error(`${name} is not ready at ${url} (${status}); run npm run stack first`);
  }
}

function range(): { fromMs: number; toMs: number } {
  return { fromMs: scenario.startedMs - 5 * 60_000, toMs: Date.now() + 60_000 };
}

function frameNamed(frames: FrameJson[], name: string): FrameJson {
  const frame = frames.find((f) => f.name === name);
  if (!frame) {
    throw new Error(`no "${name}" frame among: ${frames.map((f) => f.name).join(', ') || 'none'}`);
  }
  return frame;
}

interface TraceLog {
  timestamp: number;
  name?: string;
  fields: Array<{ key: string; value: unknown }>;
}

// JSON fields arrive decoded or as text, depending on the path (SDK host or Grafana's API).
function jsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T;
}

function traceRows(frames: FrameJson[]): Array<Record<string, unknown>> {
  const trace = frames.find((f) => f.meta?.preferredVisualisationType === 'trace');
  if (!trace) {
    throw new Error(`no trace frame among: ${frames.map((f) => f.name).join(', ') || 'none'}`);
  }
  return frameRows(trace);
}

async function queryOne(query: Record<string, unknown>): Promise<FrameJson[]> {
  const responses = await backend.query([{ refId: 'A', ...query }], range());
  const response = responses.A;
  if (!response || response.status !== 200) {
    throw new Error(`query ${JSON.stringify(query)} answered ${response?.status}: ${response?.error ?? 'no response'}`);
  }
  return response.frames;
}

describeIntegration('checkout through a NetworkPolicy drop', () => {
  beforeAll(async () => {
    await expectReady('Tempo', TEMPO_URL);
    await expectReady('Loki', LOKI_URL);
    // The executables under test, built from the working tree.
    ensureBackendExecutable();
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
  }, 600_000);

  afterAll(async () => {
    await disposeBackend();
    await scenario?.cleanup();
  });

  it('the agent reports the denied connection as one unanswered-SYN drop from the frontend pod', async () => {
    const { drop, paymentSpan, frontend, payments } = scenario;
    // The client retried within its connect timeout: one drop counts every SYN of the connection.
    const { events } = await scenario.agent.events({ kind: 'drop', limit: '1000' });
    const denied = events.filter((e) => e.src.ip === frontend.ip && e.dst.port === PAYMENTS_PORT);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ time: drop.time, src: { port: drop.src.port } });
    expect(denied[0].drop?.attempts).toBeGreaterThanOrEqual(2);
    expect(drop.drop?.reason).toBe('unanswered_syn');
    expect(drop.src).toMatchObject({ pod: frontend.name, namespace: frontend.namespace });
    expect(drop.dst).toMatchObject({ pod: payments.name, port: PAYMENTS_PORT });
    // Agent times are microseconds; the first SYN went out inside the client span.
    expect(drop.time).toBeGreaterThanOrEqual(Math.floor(paymentSpan.startMs * 1000) - 5_000);
    expect(drop.time).toBeLessThanOrEqual(Math.ceil(paymentSpan.endMs * 1000));
  });

  it('drops: the drop is joined to the failed payment span with high confidence, and says why', async () => {
    const { frontend, paymentSpan, catalogSpan } = scenario;
    const frames = await queryOne({
      queryType: 'drops',
      namespace: frontend.namespace,
      pod: frontend.name,
      slackMs: 500,
    });
    const rows = frameRows(frameNamed(frames, 'drops')).filter(
      (r) => r.src_ip === frontend.ip && r.dst_port === PAYMENTS_PORT
    );
    expect(rows).toHaveLength(1);
    const row = rows.find((r) => r.trace_id === scenario.failedTraceId);
    if (!row) {
      throw new Error(
        `no drop row carries the failed trace ${scenario.failedTraceId}: ${JSON.stringify({ rows, frames })}`
      );
    }
    expect(row).toMatchObject({ reason: 'unanswered_syn', span: paymentSpan.name });
    expect(Number(row!.confidence)).toBeGreaterThanOrEqual(0.8);
    expect(String(row!.why)).toMatch(/payments/);
    // Which rule: the NetworkPolicy selecting payments, and why it did not allow frontend.
    expect(String(row!.policies)).toContain(`${scenario.payments.namespace}/payments-allow-checkout`);
    expect(String(row!.explanation)).toMatch(/no rule in .*payments-allow-checkout/);

    // The catalog call of the same checkout ran just before; if it is a candidate at all it must rank lower.
    const matches = frameRows(frameNamed(frames, 'drop_span_matches'));
    const payment = matches.find((m) => m.span_id === paymentSpan.spanId);
    expect(payment).toBeDefined();
    for (const m of matches.filter((x) => x.span_id === catalogSpan.spanId)) {
      expect(Number(m.confidence)).toBeLessThan(Number(payment!.confidence));
    }
    expect(matches.filter((m) => m.trace_id === scenario.okTraceId)).toEqual([]);
  });

  it('traceNetwork: the failed trace shows the drop inside it, on the payment span, with a warning', async () => {
    const { paymentSpan, catalogSpan } = scenario;
    const rows = traceRows(await queryOne({ queryType: 'traceNetwork', traceId: scenario.failedTraceId }));
    expect(rows.map((r) => r.spanID)).toEqual(expect.arrayContaining([paymentSpan.spanId, catalogSpan.spanId]));
    const payment = rows.find((r) => r.spanID === paymentSpan.spanId)!;
    const dropLogs = jsonValue<TraceLog[]>(payment.logs).filter((l) => l.name === 'network drop: unanswered_syn');
    // One connection attempt, its retransmitted SYNs counted in the one drop.
    expect(dropLogs).toHaveLength(1);
    const attempts = dropLogs[0].fields.find((f) => f.key === 'drop.attempts')?.value;
    expect(Number(attempts)).toBeGreaterThanOrEqual(2);
    // Inside the span: the network saw the SYNs after the call began and before it gave up.
    for (const log of dropLogs) {
      expect(log.timestamp).toBeGreaterThanOrEqual(paymentSpan.startMs - 5);
      expect(log.timestamp).toBeLessThanOrEqual(paymentSpan.endMs);
    }
    expect(JSON.stringify(jsonValue(payment.warnings))).toMatch(/Network: .*payments/);
    const catalog = rows.find((r) => r.spanID === catalogSpan.spanId)!;
    expect(JSON.stringify(jsonValue(catalog.logs))).not.toContain('unanswered_syn');
  });

  it('traceNetwork: the successful trace shows the catalog connection the agent saw, and no drop', async () => {
    const rows = traceRows(await queryOne({ queryType: 'traceNetwork', traceId: scenario.okTraceId }));
    expect(JSON.stringify(rows)).not.toContain('unanswered_syn');
    const catalog = rows.find((r) => r.spanID === scenario.okCatalogSpan.spanId);
    expect(catalog).toBeDefined();
    const networkLogs = jsonValue<TraceLog[]>(catalog!.logs).filter((l) =>
      l.fields.some((f) => f.key === 'network.event')
    );
    expect(networkLogs.length).toBeGreaterThanOrEqual(1);
    expect(
      networkLogs.some((l) => l.fields.some((f) => f.key === 'destination.ip' && f.value === scenario.catalog.ip))
    ).toBe(true);
  });

  it('logs: the failed trace’s log lines come back by trace id, and only those', async () => {
    const frames = await queryOne({ queryType: 'logs', traceId: scenario.failedTraceId });
    const rows = frames.flatMap(frameRows);
    expect(rows.every((r) => r.trace_id === scenario.failedTraceId)).toBe(true);
    const lines = rows.map((r) => String(r.body));
    expect(lines).toHaveLength(scenario.failedTraceLogLines);
    for (const line of lines) {
      expect(JSON.parse(line).trace_id).toBe(scenario.failedTraceId);
    }
    expect(lines.some((l) => l.includes('payment failed: connect ETIMEDOUT'))).toBe(true);
  });
});
