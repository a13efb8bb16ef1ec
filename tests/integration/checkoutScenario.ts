// The incident the product exists for, on the network-namespace harness: the frontend service's checkout calls
// catalog (allowed) and payments (denied), so the payment call times out. The frontend is a real Node program
// instrumented with the OpenTelemetry SDK's HTTP instrumentation, exporting to Jaeger; the agent captures live on
// the node and ships to VictoriaLogs. The drop is decided by the reference NetworkPolicy enforcer
// (kube-network-policies) from the policy held by a real API server; the agent explains it from the same objects,
// read into its cluster file.
import { writeFileSync } from 'node:fs';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { MiniCluster, NODE_JS } from '../netns/miniCluster';
import { runIn } from '../netns/shell';
import { AgentInNode } from './agentProcess';
import { clusterFileYaml, paymentsIngressPolicy, type ScenarioPod } from './clusterFile';
import { HostPortRelay } from './hostPortRelay';
import { type EnforcedControlPlane, startEnforcedControlPlane } from './kubeNode';
import { type StoredSpan, waitForJaegerTrace } from './peerReaders';
import { peerPorts, peerUrls } from './stackEndpoints';

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
const CHECKOUT_SCRIPT = join(__dirname, 'podScripts', 'instrumentedCheckout.cjs');

/** One HTTP call the instrumented frontend made, as the program itself saw it. */
export interface CallOutcome {
  checkout: string;
  method: string;
  url: string;
  // From the traceparent header the instrumentation put on the request.
  traceId: string;
  spanId: string;
  startMs: number;
  endMs: number;
  status?: number;
  error?: string;
}

export interface CheckoutScenario {
  cluster: MiniCluster;
  agent: AgentInNode;
  // The API server holding the scenario's objects and the enforcer that decided the drop.
  controlPlane: EnforcedControlPlane;
  startedMs: number;
  frontend: ScenarioPod;
  payments: ScenarioPod;
  catalog: ScenarioPod;
  // The checkout whose payment call failed: the call and its client span as Jaeger stored it.
  paymentCall: CallOutcome;
  paymentSpan: StoredSpan;
  catalogCall: CallOutcome;
  // A checkout that went through catalog only, all spans OK.
  okCall: CallOutcome;
  drop: NetworkEvent;
  /** Runs one more failing checkout (catalog, then the denied payment) and returns its calls. */
  failingCheckout(name: string): Promise<CallOutcome[]>;
  cleanup(): Promise<void>;
}

function calledPayments(call: CallOutcome, payments: ScenarioPod): boolean {
  return new URL(call.url).host === `${payments.ip}:${PAYMENTS_PORT}`;
}

export async function runCheckoutScenario(): Promise<CheckoutScenario> {
  const ports = peerPorts();
  const urls = peerUrls();
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
  // The frontend's OTLP exporter reaches Jaeger through its pod's loopback.
  const otlpRelay = new HostPortRelay(cluster.pod(frontend.name).netns, ports.jaegerOtlpHttp, NODE_JS);
  // Its OpenTelemetry logger reaches VictoriaLogs' OTLP endpoint the same way.
  const logsRelay = new HostPortRelay(cluster.pod(frontend.name).netns, ports.victoriaLogs, NODE_JS);
  let controlPlane: EnforcedControlPlane | undefined;
  const cleanup = async (): Promise<void> => {
    await agent.stop();
    await controlPlane?.stop();
    otlpRelay.stop();
    logsRelay.stop();
    await cluster.destroy();
  };
  try {
    await otlpRelay.start();
    await logsRelay.start();
    await cluster.startHttpServer(payments.name, PAYMENTS_PORT);
    await cluster.startHttpServer(catalog.name, CATALOG_PORT);

    const services = [
      { name: 'payments', pod: payments, port: PAYMENTS_PORT },
      { name: 'catalog', pod: catalog, port: CATALOG_PORT },
    ];
    const objects = clusterFileYaml(cluster.nodeNs, [frontend, payments, catalog], services, [
      paymentsIngressPolicy(payments, PAYMENTS_PORT),
    ]);
    // The enforcer drops frontend → payments:8443 because the API server holds the policy, as on a cluster.
    controlPlane = await startEnforcedControlPlane(cluster, (parse(objects) as { items: KubernetesObject[] }).items);
    // The agent reads the same objects, as the API server holds them, from a cluster file.
    const clusterFile = await controlPlane.admin.writeClusterFile(join(cluster.workDir, 'cluster-with-policy.yaml'));
    await agent.start({ clusterFile, victoriaLogsPort: ports.victoriaLogs, forwardPort: ports.agentMetrics });

    const catalogUrl = `http://${catalog.ip}:${CATALOG_PORT}/api/items`;
    const paymentsUrl = `http://${payments.ip}:${PAYMENTS_PORT}/v1/charge`;
    const runCheckouts = async (checkouts: Array<{ name: string; urls: Array<[string, string]> }>) => {
      const planFile = join(cluster.workDir, `checkout-plan-${Date.now()}.json`);
      writeFileSync(
        planFile,
        JSON.stringify({
          otlpTracesUrl: `http://127.0.0.1:${ports.jaegerOtlpHttp}/v1/traces`,
          otlpLogsUrl: `http://127.0.0.1:${ports.victoriaLogs}/insert/opentelemetry/v1/logs`,
          // What the Kubernetes downward API would put in OTEL_RESOURCE_ATTRIBUTES.
          resource: {
            'service.name': 'frontend',
            'service.namespace': NAMESPACE,
            'k8s.namespace.name': NAMESPACE,
            'k8s.pod.name': frontend.name,
            'k8s.pod.ip': frontend.ip,
          },
          checkouts: checkouts.map((c) => ({
            name: c.name,
            requests: c.urls.map(([method, url]) => ({ method, url, timeoutMs: CONNECT_TIMEOUT_MS })),
          })),
        })
      );
      const out = await runIn(cluster.pod(frontend.name).netns, NODE_JS, [CHECKOUT_SCRIPT, planFile], 300_000);
      return JSON.parse(out) as CallOutcome[];
    };
    const failingCheckout = (name: string) =>
      runCheckouts([
        {
          name,
          urls: [
            ['GET', catalogUrl],
            ['POST', paymentsUrl],
          ],
        },
      ]);

    const startedMs = Date.now();
    const calls = await runCheckouts([
      {
        name: 'checkout',
        urls: [
          ['GET', catalogUrl],
          ['POST', paymentsUrl],
        ],
      },
      { name: 'browse', urls: [['GET', catalogUrl]] },
    ]);
    const [catalogCall, paymentCall, okCall] = calls;
    if (catalogCall?.status !== 200 || okCall?.status !== 200) {
      throw new Error(`the catalog calls were expected to succeed: ${JSON.stringify(calls)}`);
    }
    if (!paymentCall || !calledPayments(paymentCall, payments) || paymentCall.error !== 'ETIMEDOUT') {
      throw new Error(`the payment call was expected to time out behind the drop: ${JSON.stringify(paymentCall)}`);
    }

    const drop = await agent.waitForEvent(
      { kind: 'drop', from: String(BigInt(Math.floor(startedMs - 60_000)) * 1_000_000n) },
      (e) => e.kind === 'drop' && e.src.ip === frontend.ip && e.dst.ip === payments.ip && e.dst.port === PAYMENTS_PORT
    );
    // The checkout span and its two instrumented client spans; the browse span and its one.
    const failedTrace = await waitForJaegerTrace(urls.jaeger, paymentCall.traceId, 3);
    await waitForJaegerTrace(urls.jaeger, okCall.traceId, 2);
    const paymentSpan = failedTrace.find((s) => s.spanId === paymentCall.spanId);
    if (!paymentSpan) {
      throw new Error(`Jaeger has no span ${paymentCall.spanId} in ${JSON.stringify(failedTrace)}`);
    }
    return {
      cluster,
      agent,
      controlPlane,
      startedMs,
      frontend,
      payments,
      catalog,
      paymentCall,
      paymentSpan,
      catalogCall,
      okCall,
      drop,
      failingCheckout,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
