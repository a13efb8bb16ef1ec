// The incident the product exists for, made with real parts: frontend's checkout calls catalog (allowed) and
// payments (denied by a NetworkPolicy, enforced by an iptables DROP), so the payment call times out.
// The agent captures it on the node's bridge; the OpenTelemetry SDK records the spans of the real attempts;
// the app's log lines go to Loki.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events.ts';
import { AgentProcess } from './agentProcess.ts';
import { pushAppLogs, waitForLogs } from './appLogs.ts';
import { clusterFileYaml, paymentsIngressPolicy } from './clusterFile.ts';
import { attemptFromNamespace } from './connectAttempt.ts';
import { PodNetwork, type PodSpec } from './podNetwork.ts';
import { PodTracer, type PodIdentity, type RecordedSpan } from './podTracer.ts';
import { waitForTrace } from './tempoTraces.ts';

export const NODE_NAME = 'wt-integration-node';
export const PAYMENTS_PORT = 8443;
export const CATALOG_PORT = 8080;
// The client gives up after this long, as an application's connect timeout would.
export const CONNECT_TIMEOUT_MS = 3000;

export const FRONTEND: PodSpec = {
  namespace: 'shop',
  name: 'frontend-7d9f8c6b5-x2x9q',
  app: 'frontend',
  ip: '10.244.213.2',
};
export const PAYMENTS: PodSpec = {
  namespace: 'shop',
  name: 'payments-5c7b9d8f4-kq2lm',
  app: 'payments',
  ip: '10.244.213.3',
};
export const CATALOG: PodSpec = {
  namespace: 'shop',
  name: 'catalog-6f8d7c5b9-p4n7r',
  app: 'catalog',
  ip: '10.244.213.4',
};

export interface CheckoutScenario {
  agent: AgentProcess;
  startedMs: number;
  // The checkout whose payment call failed, and its spans.
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

export async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function runCheckoutScenario(urls: {
  tempo: string;
  loki: string;
  otlpHttp: string;
}): Promise<CheckoutScenario> {
  const workDir = mkdtempSync(join(tmpdir(), 'wiretrace-integration-'));
  const network = new PodNetwork('wtit0', [FRONTEND, PAYMENTS, CATALOG]);
  const agent = new AgentProcess(workDir, NODE_NAME, await freePort());
  const identity: PodIdentity = {
    service: 'frontend',
    namespace: FRONTEND.namespace,
    pod: FRONTEND.name,
    ip: FRONTEND.ip,
  };
  const tracer = new PodTracer(identity, urls.otlpHttp);
  const cleanup = async (): Promise<void> => {
    await agent.stop();
    await tracer.shutdown();
    network.destroy();
  };
  try {
    network.create();
    network.serveHttp(PAYMENTS, PAYMENTS_PORT);
    network.serveHttp(CATALOG, CATALOG_PORT);
    await network.waitServing(PAYMENTS, PAYMENTS_PORT);
    await network.waitServing(CATALOG, CATALOG_PORT);
    network.denyIngress(FRONTEND, PAYMENTS, PAYMENTS_PORT);

    const clusterFile = join(workDir, 'cluster.yaml');
    const services = [
      { name: 'payments', pod: PAYMENTS, port: PAYMENTS_PORT },
      { name: 'catalog', pod: CATALOG, port: CATALOG_PORT },
    ];
    writeFileSync(
      clusterFile,
      clusterFileYaml(NODE_NAME, [FRONTEND, PAYMENTS, CATALOG], services, [
        paymentsIngressPolicy(PAYMENTS, PAYMENTS_PORT),
      ])
    );
    await agent.start(network.bridge, clusterFile);

    const startedMs = Date.now();
    const netns = network.netnsOf(FRONTEND);
    const catalogTarget = { ip: CATALOG.ip, port: CATALOG_PORT, path: '/api/items' };

    // Checkout 1: catalog answers, payments never does.
    const checkout = tracer.startRequest('POST /checkout', '/checkout', Date.now());
    let traceparent = tracer.nextTraceparent(checkout);
    const catalogSpan = tracer.recordClientCall(checkout, {
      name: 'GET catalog',
      serverAddress: 'catalog.shop.svc.cluster.local',
      serverPort: CATALOG_PORT,
      peerIp: CATALOG.ip,
      urlFull: `http://catalog.shop.svc.cluster.local:${CATALOG_PORT}/api/items`,
      attempt: await attemptFromNamespace(netns, catalogTarget, CONNECT_TIMEOUT_MS, traceparent),
    });
    traceparent = tracer.nextTraceparent(checkout);
    const paymentAttempt = await attemptFromNamespace(
      netns,
      { ip: PAYMENTS.ip, port: PAYMENTS_PORT, path: '/v1/charge' },
      CONNECT_TIMEOUT_MS,
      traceparent
    );
    if (!paymentAttempt.error) {
      throw new Error(
        `the payment call was expected to time out behind the DROP rule, but it answered ${paymentAttempt.status}`
      );
    }
    const paymentSpan = tracer.recordClientCall(checkout, {
      name: 'POST payments',
      serverAddress: 'payments.shop',
      serverPort: PAYMENTS_PORT,
      peerIp: PAYMENTS.ip,
      urlFull: `https://payments.shop:${PAYMENTS_PORT}/v1/charge`,
      attempt: paymentAttempt,
    });
    tracer.endRequest(checkout, paymentAttempt.endMs + 1, paymentAttempt.error);

    // Checkout 2: browsing only, everything answers.
    const browse = tracer.startRequest('POST /checkout', '/checkout', Date.now());
    traceparent = tracer.nextTraceparent(browse);
    const okCatalogSpan = tracer.recordClientCall(browse, {
      name: 'GET catalog',
      serverAddress: 'catalog.shop.svc.cluster.local',
      serverPort: CATALOG_PORT,
      peerIp: CATALOG.ip,
      urlFull: `http://catalog.shop.svc.cluster.local:${CATALOG_PORT}/api/items`,
      attempt: await attemptFromNamespace(netns, catalogTarget, CONNECT_TIMEOUT_MS, traceparent),
    });
    tracer.endRequest(browse, okCatalogSpan.endMs + 1);
    await tracer.flush();

    const failedTraceId = paymentSpan.traceId;
    const logLines = [
      {
        timeMs: catalogSpan.startMs,
        level: 'info' as const,
        message: 'checkout started',
        traceId: failedTraceId,
        spanId: catalogSpan.spanId,
      },
      {
        timeMs: paymentSpan.endMs,
        level: 'error' as const,
        message: `payment failed: ${paymentAttempt.error}`,
        traceId: failedTraceId,
        spanId: paymentSpan.spanId,
      },
      {
        timeMs: okCatalogSpan.endMs,
        level: 'info' as const,
        message: 'items listed',
        traceId: okCatalogSpan.traceId,
        spanId: okCatalogSpan.spanId,
      },
    ];
    await pushAppLogs(urls.loki, identity, logLines);

    const drop = await agent.waitForEvent(
      { kind: 'drop', from: String(BigInt(startedMs - 60_000) * 1_000_000n) },
      (e) => e.kind === 'drop' && e.src.ip === FRONTEND.ip && e.dst.ip === PAYMENTS.ip && e.dst.port === PAYMENTS_PORT
    );
    await Promise.all([
      waitForTrace(urls.tempo, failedTraceId, 3),
      waitForTrace(urls.tempo, okCatalogSpan.traceId, 2),
      waitForLogs(urls.loki, identity, failedTraceId, 2, startedMs),
    ]);
    return {
      agent,
      startedMs,
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
