// Integration through real parts: the agent capturing a checkout on the namespace harness, a frontend instrumented
// with the OpenTelemetry SDK exporting to Jaeger, the agent's events shipped to VictoriaLogs and its metrics scraped
// by Prometheus, and the backend executable (Jaeger as its trace store) queried through the Go SDK host.
// The drop is decided by kube-network-policies from the policy a real kube-apiserver holds.
// Needs root; run by tests/tiers/60-integration.mjs, which starts the peers.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
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
import { AGENT_BUNDLE } from './agentProcess';
import { CATALOG_PORT, type CheckoutScenario, PAYMENTS_PORT, runCheckoutScenario } from './checkoutScenario';
import { victoriaLogsEvents, waitForExemplars, waitForVictoriaLogs } from './peerReaders';
import { REPO_ROOT, peerUrls, restartPeerServer, stopPeerServer } from './stackEndpoints';

const skipReason = netnsSkipReason(['tcpdump', 'iptables']);
const describeIntegration = skipReason ? describe.skip : describe;

let scenario: CheckoutScenario;
let backend: BackendQueryClient;

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

// JSON fields arrive decoded or as text, depending on the path.
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

// The log store makes a line searchable a moment after it arrives: ask until it is there.
async function waitForLogLine(query: Record<string, unknown>, text: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = frameRows(frameNamed(await queryOne(query), 'logs'));
    const line = rows.find((r) => String(r.body).includes(text));
    if (line) {
      return line;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no log line containing ${JSON.stringify(text)} within 60 s; got ${JSON.stringify(rows.map((r) => r.body))}`
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function agentEvents(): Promise<NetworkEvent[]> {
  return (await scenario.agent.events({ limit: '10000' })).events;
}

describeIntegration('checkout through a NetworkPolicy drop decided by kube-network-policies', () => {
  beforeAll(async () => {
    // The executables under test, built from the working tree.
    ensureBackendExecutable();
    execFileSync(process.execPath, ['scripts/build-agent.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const pluginQuery = buildPluginQuery();
    scenario = await runCheckoutScenario();
    const urls = peerUrls();
    const settings: DatasourceSettings = {
      uid: 'wiretrace-integration',
      name: 'Wiretrace integration',
      jsonData: {
        traceStore: 'jaeger',
        jaeger: { url: urls.jaeger, grpcUrl: urls.jaegerGrpc },
        // Application logs from the OpenTelemetry logger, stored in VictoriaLogs beside the agent's events.
        logStore: 'victorialogs',
        victorialogs: { url: urls.victoriaLogs },
        agentUrls: [scenario.agent.url],
        timeoutMs: 20_000,
      },
      secureJsonData: {},
    };
    backend = new PluginQueryClient(pluginQuery, settings);
  }, 900_000);

  afterAll(async () => {
    await scenario?.cleanup();
  });

  it('the agent reports the denied connection as one unanswered-SYN drop from the frontend pod, explained by the policy', async () => {
    const { drop, paymentCall, frontend, payments } = scenario;
    const events = (await scenario.agent.events({ kind: 'drop', limit: '1000' })).events;
    const denied = events.filter((e) => e.src.ip === frontend.ip && e.dst.port === PAYMENTS_PORT);
    expect(denied).toHaveLength(1);
    expect(denied[0].drop?.attempts).toBeGreaterThanOrEqual(2);
    expect(drop.drop?.reason).toBe('unanswered_syn');
    expect(drop.src).toMatchObject({ pod: frontend.name, namespace: frontend.namespace });
    expect(drop.dst).toMatchObject({ pod: payments.name, port: PAYMENTS_PORT });
    expect(JSON.stringify(denied[0].drop)).toContain('payments-allow-checkout');
    // Agent times are microseconds; the first SYN went out while the instrumented call was open.
    expect(drop.time).toBeGreaterThanOrEqual(paymentCall.startMs * 1000 - 5_000);
    expect(drop.time).toBeLessThanOrEqual(paymentCall.endMs * 1000);
  });

  it('the drop was the enforcer\'s: kube-network-policies dropped that connection and let the catalog call through', () => {
    const { drop, catalogCall, frontend, payments, catalog, controlPlane } = scenario;
    const verdictsFor = (dstIp: string, port: number) =>
      controlPlane.enforcer.verdictsFor(frontend.ip, dstIp, port);
    // Every SYN of the denied connection (the first and its retries) was queued to the enforcer and dropped by it.
    const denied = verdictsFor(payments.ip, PAYMENTS_PORT).filter((v) => v.srcPort === drop.src.port);
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(new Set(denied.map((v) => v.verdict))).toEqual(new Set(['drop']));
    expect(denied[0].dstPod).toBe(`${payments.namespace}/${payments.name}`);
    expect(verdictsFor(catalog.ip, CATALOG_PORT).map((v) => v.verdict)).toContain('accept');
    expect(catalogCall.status).toBe(200);
  });

  it('Jaeger holds the failed payment span as the HTTP instrumentation recorded it', () => {
    const { paymentSpan, paymentCall, payments, frontend } = scenario;
    expect(paymentSpan.traceId).toBe(paymentCall.traceId);
    expect(paymentSpan.kind).toMatch(/CLIENT|^3$/);
    expect(paymentSpan.statusCode).toMatch(/ERROR|^2$/);
    expect(paymentSpan.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': payments.ip,
      'url.full': paymentCall.url,
    });
    expect(String(paymentSpan.attributes['server.port'])).toBe(String(PAYMENTS_PORT));
    expect(paymentSpan.resource).toMatchObject({ 'k8s.pod.name': frontend.name, 'k8s.namespace.name': 'shop' });
    // The span covers the real call: it opened before the first SYN and closed when the client gave up.
    expect(paymentSpan.startMs).toBeLessThanOrEqual(Math.ceil(scenario.drop.time / 1000));
    expect(paymentSpan.endMs).toBeGreaterThanOrEqual(paymentCall.endMs - 50);
  });

  it('VictoriaLogs holds every event the agent API has, unchanged (pushed through its Loki endpoint)', async () => {
    const fromAgent = await agentEvents();
    expect(fromAgent.length).toBeGreaterThan(0);
    expect(fromAgent.map((e) => e.kind)).toEqual(expect.arrayContaining(['drop', 'http']));
    const stored = await waitForVictoriaLogs(peerUrls().victoriaLogs, scenario.startedMs, fromAgent);
    const storedKeys = new Set(stored.map((e) => JSON.stringify(e)));
    expect(fromAgent.filter((e) => !storedKeys.has(JSON.stringify(e)))).toEqual([]);
  });

  it('Prometheus exemplars on HTTP latency carry the trace ids of the HTTP events', async () => {
    const httpTraceIds = new Set(
      (await agentEvents()).filter((e) => e.kind === 'http' && e.traceId).map((e) => e.traceId!)
    );
    expect(httpTraceIds.has(scenario.catalogCall.traceId)).toBe(true);
    expect(httpTraceIds.has(scenario.okCall.traceId)).toBe(true);
    const exemplars = await waitForExemplars(peerUrls().prometheus, scenario.startedMs, (found) =>
      found.some((x) => x.traceId === scenario.okCall.traceId)
    );
    expect(exemplars.length).toBeGreaterThan(0);
    expect(exemplars.filter((x) => !httpTraceIds.has(x.traceId))).toEqual([]);
  });

  it('drops (Jaeger as trace store): the drop is joined to the instrumented failed span with high confidence', async () => {
    const { frontend, paymentCall, catalogCall } = scenario;
    const frames = await queryOne({
      queryType: 'drops',
      namespace: frontend.namespace,
      pod: frontend.name,
      slackMs: 500,
    });
    const rows = frameRows(frameNamed(frames, 'drops')).filter(
      (r) => r.src_ip === frontend.ip && r.dst_port === PAYMENTS_PORT
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const row = rows.find((r) => r.trace_id === paymentCall.traceId);
    if (!row) {
      throw new Error(`no drop row carries the failed trace ${paymentCall.traceId}: ${JSON.stringify(frames)}`);
    }
    expect(Number(row.confidence)).toBeGreaterThanOrEqual(0.8);
    expect(String(row.policies)).toContain(`${scenario.payments.namespace}/payments-allow-checkout`);
    const matches = frameRows(frameNamed(frames, 'drop_span_matches'));
    const payment = matches.find((m) => m.span_id === paymentCall.spanId);
    expect(payment).toBeDefined();
    for (const m of matches.filter((x) => x.span_id === catalogCall.spanId)) {
      expect(Number(m.confidence)).toBeLessThan(Number(payment!.confidence));
    }
  });

  it('traceNetwork (Jaeger as trace store): the failed trace shows the drop on the payment span', async () => {
    const { paymentCall, catalogCall } = scenario;
    const rows = traceRows(await queryOne({ queryType: 'traceNetwork', traceId: paymentCall.traceId }));
    expect(rows.map((r) => r.spanID)).toEqual(expect.arrayContaining([paymentCall.spanId, catalogCall.spanId]));
    const payment = rows.find((r) => r.spanID === paymentCall.spanId)!;
    const dropLogs = jsonValue<TraceLog[]>(payment.logs).filter((l) => l.name === 'network drop: unanswered_syn');
    expect(dropLogs).toHaveLength(1);
    const catalog = rows.find((r) => r.spanID === catalogCall.spanId)!;
    expect(JSON.stringify(jsonValue(catalog.logs))).not.toContain('unanswered_syn');
  });

  it("the case walk: trace → the drop's case → its policy and fix → the fix applied, explain says allowed → the logs → back to the trace", async () => {
    const { paymentCall, frontend, payments } = scenario;
    // One click from the trace: the failed span links straight to the case of the drop that explains it.
    const span = traceRows(await queryOne({ queryType: 'traceNetwork', traceId: paymentCall.traceId })).find(
      (r) => r.spanID === paymentCall.spanId
    )!;
    const caseLink = /[?&]drop=([^&]+)/.exec(String(span.network_case));
    expect(caseLink).not.toBeNull();
    const dropId = caseLink![1];
    // The case: the drops query filtered to that drop, joined to the failed span, with the policy and the fix.
    const [row, ...others] = frameRows(
      frameNamed(await queryOne({ queryType: 'drops', dropId, slackMs: 500 }), 'drops')
    );
    expect(others).toEqual([]);
    expect(row).toMatchObject({ drop_id: dropId, trace_id: paymentCall.traceId, src_pod: frontend.name });
    const explanation = JSON.parse(String(row.policy_explanation));
    expect(explanation.ingress).toMatchObject({ allowed: false });
    expect(explanation.ingress.rules.length).toBeGreaterThan(0);
    const [fix] = JSON.parse(String(row.suggestions)) as Array<{ yaml: string; direction: string }>;
    expect(fix.direction).toBe('ingress');
    // The fix applied to the cluster file: the agent's explain now allows the connection.
    const clusterFile = join(scenario.cluster.workDir, 'cluster-with-policy.yaml');
    const fixedFile = join(scenario.cluster.workDir, 'cluster-with-fix.yaml');
    writeFileSync(fixedFile, `${readFileSync(clusterFile, 'utf8')}\n---\n${fix.yaml}`);
    const explain = (file: string) =>
      JSON.parse(
        execFileSync(process.execPath, [
          AGENT_BUNDLE,
          'explain',
          '--cluster',
          file,
          '--from',
          `${frontend.namespace}/${frontend.name}`,
          '--to',
          `${payments.namespace}/${payments.name}`,
          '--port',
          String(PAYMENTS_PORT),
        ]).toString()
      ) as { allowed: boolean };
    expect(explain(clusterFile).allowed).toBe(false);
    expect(explain(fixedFile).allowed).toBe(true);
    // The logs: what the frontend's OpenTelemetry logger sent to VictoriaLogs, by pod around the drop and by trace.
    const failure = `checkout failed: POST ${paymentCall.url}`;
    const podLogs = await waitForLogLine(
      { queryType: 'logs', namespace: frontend.namespace, pod: frontend.name },
      failure
    );
    expect(podLogs).toMatchObject({ trace_id: paymentCall.traceId, severity: 'error' });
    expect(Number(row.log_count)).toBeGreaterThanOrEqual(1);
    const byTrace = frameRows(frameNamed(await queryOne({ queryType: 'logs', traceId: paymentCall.traceId }), 'logs'));
    expect(byTrace.map((l) => String(l.body))).toEqual(['checkout started', expect.stringContaining(failure)]);
    // Back to the trace: the drop row's trace id opens it.
    const trace = traceRows(await queryOne({ queryType: 'traceNetwork', traceId: String(row.trace_id) }));
    expect(trace.map((r) => r.spanID)).toContain(paymentCall.spanId);
  });

  it('through a VictoriaLogs outage the agent keeps capturing and, once it is back, nothing is lost', async () => {
    const victoriaLogs = peerUrls().victoriaLogs;
    await stopPeerServer('it-victorialogs');
    const [, outagePayment] = await scenario.failingCheckout('checkout during the outage');
    expect(outagePayment.error).toBe('ETIMEDOUT');
    // The agent saw the new drop while VictoriaLogs was down.
    await scenario.agent.waitForEvent(
      { kind: 'drop', limit: '1000' },
      (e) => e.kind === 'drop' && e.src.ip === scenario.frontend.ip && e.time >= outagePayment.startMs * 1000 - 5_000
    );
    await expect(victoriaLogsEvents(victoriaLogs, scenario.startedMs)).rejects.toThrow();
    await restartPeerServer('it-victorialogs');
    const fromAgent = await agentEvents();
    const stored = await waitForVictoriaLogs(victoriaLogs, scenario.startedMs, fromAgent);
    expect(stored.filter((e) => e.kind === 'drop' && e.dst.port === PAYMENTS_PORT).length).toBeGreaterThanOrEqual(2);
  });

  it('Jaeger down mid-investigation: drops still answer, from the agent, with a notice naming the trace store', async () => {
    await stopPeerServer('it-jaeger');
    const frames = await queryOne({ queryType: 'drops', namespace: scenario.frontend.namespace, slackMs: 500 });
    const rows = frameRows(frameNamed(frames, 'drops')).filter((r) => r.dst_port === PAYMENTS_PORT);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => !r.trace_id)).toBe(true);
    expect(JSON.stringify(frames.map((f) => f.meta))).toMatch(/Jaeger/);
  });
});
