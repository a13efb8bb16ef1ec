// The incident the product exists for, made with real parts on the network-namespace harness: frontend's checkout
// calls catalog (allowed) and payments (denied by a NetworkPolicy that the node enforces with an iptables DROP),
// so the payment call times out. The agent captures it live on the node; the OpenTelemetry SDK records spans
// with the times of the real calls; the app's log lines go to Loki.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import type { HttpExchangeRecord } from '../netns/manifest';
import { MiniCluster } from '../netns/miniCluster';
import { AgentInNode } from './agentProcess';
import { pushAppLogs, waitForLogs } from './appLogs';
import { clusterFileYaml, paymentsIngressPolicy, type ScenarioPod } from './clusterFile';
import { type CallTiming, PodTracer, type PodIdentity, type RecordedSpan } from './podTracer';
import { waitForSearch, waitForTrace } from './tempoTraces';

export const PAYMENTS_PORT = 8443;
export const CATALOG_PORT = 8080;
// The client gives up after this long, as an application's connect timeout would.
export const CONNECT_TIMEOUT_MS = 3000;

const NAMESPACE = 'shop';
const POD_NAMES = {
  frontend: 'frontend-7d9f8c6b5-x2x9q',
  payments: 'payments-5c7b9d8f4-kq2lm',
  catalog: 'catalog-6f8d7c5b9-p4n7r',
};

export interface CheckoutScenario {
  cluster: MiniCluster;
  agent: AgentInNode;
  startedMs: number;
  frontend: ScenarioPod;
  payments: ScenarioPod;
  catalog: ScenarioPod;
  // The checkout whose payment call failed, and its client spans.
  failedTraceId: string;
  paymentSpan: RecordedSpan;
  catalogSpan: RecordedSpan;
  // A checkout that went through catalog only, all spans OK.
  okTraceId: string;
  okCatalogSpan: RecordedSpan;
  drop: NetworkEvent;
  failedTraceLogLines: number;
  cleanup(): Promise<void>;
}

export interface StackUrls {
  tempo: string;
  loki: string;
  otlpHttp: string;
}

function exchangeTiming(
  record: { startUs: number; endUs: number; status?: number; error?: string },
  target: string
): CallTiming {
  const timing: CallTiming = { startMs: record.startUs / 1000, endMs: record.endUs / 1000, status: record.status };
  if (record.error) {
    // How Node's HTTP client words a connect that timed out.
    timing.error = record.error === 'ETIMEDOUT' ? `connect ETIMEDOUT ${target}` : `${record.error} ${target}`;
    timing.errorCode = record.error;
  }
  return timing;
}

export async function runCheckoutScenario(urls: StackUrls): Promise<CheckoutScenario> {
  const cluster = MiniCluster.create([
    { name: POD_NAMES.frontend, namespace: NAMESPACE, host: 10, network: 'local', labels: { app: 'frontend' } },
    { name: POD_NAMES.payments, namespace: NAMESPACE, host: 20, network: 'remote', labels: { app: 'payments' } },
    { name: POD_NAMES.catalog, namespace: NAMESPACE, host: 30, network: 'remote', labels: { app: 'catalog' } },
  ]);
  const scenarioPod = (app: keyof typeof POD_NAMES): ScenarioPod => ({
    namespace: NAMESPACE,
    name: POD_NAMES[app],
    app,
    ip: cluster.pod(POD_NAMES[app]).ip,
  });
  const frontend = scenarioPod('frontend');
  const payments = scenarioPod('payments');
  const catalog = scenarioPod('catalog');
  const agent = new AgentInNode(cluster);
  const identity: PodIdentity = { service: 'frontend', namespace: NAMESPACE, pod: frontend.name, ip: frontend.ip };
  const tracer = new PodTracer(identity, urls.otlpHttp);
  const cleanup = async (): Promise<void> => {
    await agent.stop();
    await tracer.shutdown();
    await cluster.destroy();
  };
  try {
    await cluster.startHttpServer(payments.name, PAYMENTS_PORT);
    await cluster.startHttpServer(catalog.name, CATALOG_PORT);
    cluster.dropPath(frontend.name, payments.name, PAYMENTS_PORT);

    const clusterFile = join(cluster.workDir, 'cluster-with-policy.yaml');
    const services = [
      { name: 'payments', pod: payments, port: PAYMENTS_PORT },
      { name: 'catalog', pod: catalog, port: CATALOG_PORT },
    ];
    writeFileSync(
      clusterFile,
      clusterFileYaml(cluster.nodeNs, [frontend, payments, catalog], services, [
        paymentsIngressPolicy(payments, PAYMENTS_PORT),
      ])
    );
    await agent.start(clusterFile);

    const startedMs = Date.now();
    const catalogUrl = `http://${catalog.ip}:${CATALOG_PORT}/api/items`;
    const callFromFrontend = async (
      url: string,
      traceparent: string,
      method: string
    ): Promise<HttpExchangeRecord | undefined> => {
      const [, traceId, spanId] = traceparent.split('-');
      const failuresBefore = cluster.manifest.drops.length;
      const [record] = await cluster.runHttpClient(frontend.name, [
        { url, method, propagation: 'traceparent', traceId, spanId, timeoutMs: CONNECT_TIMEOUT_MS },
      ]);
      if (!record && cluster.manifest.drops.length === failuresBefore) {
        throw new Error(`the harness recorded neither an exchange nor a failure for ${url}`);
      }
      return record;
    };

    // Checkout 1: catalog answers, payments never does.
    const checkout = tracer.startRequest('POST /checkout', '/checkout', Date.now());
    let traceparent = tracer.nextTraceparent(checkout);
    const catalogCall = await callFromFrontend(catalogUrl, traceparent, 'GET');
    if (!catalogCall || catalogCall.status !== 200) {
      throw new Error(`the catalog call was expected to succeed: ${JSON.stringify(catalogCall)}`);
    }
    const catalogSpan = tracer.recordClientCall(checkout, {
      name: 'GET catalog',
      serverAddress: 'catalog.shop.svc.cluster.local',
      serverPort: CATALOG_PORT,
      peerIp: catalog.ip,
      urlFull: `http://catalog.shop.svc.cluster.local:${CATALOG_PORT}/api/items`,
      attempt: exchangeTiming(catalogCall, `${catalog.ip}:${CATALOG_PORT}`),
    });
    traceparent = tracer.nextTraceparent(checkout);
    const paymentCall = await callFromFrontend(`http://${payments.ip}:${PAYMENTS_PORT}/v1/charge`, traceparent, 'POST');
    const paymentFailure = cluster.manifest.drops.at(-1);
    if (paymentCall || !paymentFailure) {
      throw new Error(`the payment call was expected to time out behind the DROP rule: ${JSON.stringify(paymentCall)}`);
    }
    const paymentTiming = exchangeTiming(paymentFailure, `${payments.ip}:${PAYMENTS_PORT}`);
    const paymentSpan = tracer.recordClientCall(checkout, {
      name: 'POST payments',
      serverAddress: 'payments.shop',
      serverPort: PAYMENTS_PORT,
      peerIp: payments.ip,
      urlFull: `https://payments.shop:${PAYMENTS_PORT}/v1/charge`,
      attempt: paymentTiming,
    });
    tracer.endRequest(checkout, paymentTiming.endMs + 1, paymentTiming.error);

    // Checkout 2: browsing only, everything answers.
    const browse = tracer.startRequest('POST /checkout', '/checkout', Date.now());
    traceparent = tracer.nextTraceparent(browse);
    const okCall = await callFromFrontend(catalogUrl, traceparent, 'GET');
    if (!okCall || okCall.status !== 200) {
      throw new Error(`the second catalog call was expected to succeed: ${JSON.stringify(okCall)}`);
    }
    const okCatalogSpan = tracer.recordClientCall(browse, {
      name: 'GET catalog',
      serverAddress: 'catalog.shop.svc.cluster.local',
      serverPort: CATALOG_PORT,
      peerIp: catalog.ip,
      urlFull: catalogUrl,
      attempt: exchangeTiming(okCall, `${catalog.ip}:${CATALOG_PORT}`),
    });
    tracer.endRequest(browse, okCatalogSpan.endMs + 1);
    await tracer.flush();

    const failedTraceId = paymentSpan.traceId;
    await pushAppLogs(urls.loki, identity, [
      {
        timeMs: catalogSpan.startMs,
        level: 'info',
        message: 'checkout started',
        traceId: failedTraceId,
        spanId: catalogSpan.spanId,
      },
      {
        timeMs: paymentSpan.endMs,
        level: 'error',
        message: `payment failed: ${paymentTiming.error}`,
        traceId: failedTraceId,
        spanId: paymentSpan.spanId,
      },
      {
        timeMs: okCatalogSpan.endMs,
        level: 'info',
        message: 'items listed',
        traceId: okCatalogSpan.traceId,
        spanId: okCatalogSpan.spanId,
      },
    ]);

    const drop = await agent.waitForEvent(
      { kind: 'drop', from: String(BigInt(Math.floor(startedMs - 60_000)) * 1_000_000n) },
      (e) => e.kind === 'drop' && e.src.ip === frontend.ip && e.dst.ip === payments.ip && e.dst.port === PAYMENTS_PORT
    );
    await Promise.all([
      waitForTrace(urls.tempo, failedTraceId, 3),
      waitForTrace(urls.tempo, okCatalogSpan.traceId, 2),
      // The backend finds failed client spans by TraceQL search, which sees a trace a little after lookup by id does.
      waitForSearch(
        urls.tempo,
        `{ kind = client && status = error && resource.k8s.pod.name = "${frontend.name}" }`,
        failedTraceId,
        startedMs
      ),
      waitForLogs(urls.loki, identity, failedTraceId, 2, startedMs),
    ]);
    return {
      cluster,
      agent,
      startedMs,
      frontend,
      payments,
      catalog,
      failedTraceId,
      paymentSpan,
      catalogSpan,
      okTraceId: okCatalogSpan.traceId,
      okCatalogSpan,
      drop,
      failedTraceLogLines: 2,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
