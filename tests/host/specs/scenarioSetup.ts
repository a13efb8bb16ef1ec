// Before the host specs: the checkout incident on the network-namespace harness (the agent capturing live, the
// frontend instrumented with OpenTelemetry exporting to Jaeger, events and logs in VictoriaLogs), then the host in
// front of the backend executable with a datasource reading those peers. What the specs need is written to
// build/host/scenario.json; the returned function tears it all down.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatDropId } from '../../../model/dropId';
import { runCheckoutScenario } from '../../integration/checkoutScenario';
import { peerUrls, REPO_ROOT } from '../../integration/stackEndpoints';
import { SCENARIO_FILE, type HostScenario } from './scenarioFile';

const WORK_DIR = join(REPO_ROOT, 'build', 'host', 'run');

// tests/host/startHost.mjs (plain ESM, shared with `npm run`-style scripts).
type StartHost = (options: {
  datasources: Array<{ uid: string; name: string; type: string; url?: string; isDefault?: boolean; jsonData?: object }>;
  workDir: string;
}) => Promise<{ url: string; stop: () => Promise<void> }>;

export default async function scenarioSetup(): Promise<() => Promise<void>> {
  if (!process.env.WIRETRACE_IT_SERVERS) {
    throw new Error('WIRETRACE_IT_SERVERS is not set: run the host specs through the browser tier (npm test)');
  }
  const scenario = await runCheckoutScenario();
  let stopHost: (() => Promise<void>) | undefined;
  try {
    const urls = peerUrls();
    // startHost.mjs is an ES module: loaded as one.
    const startHostModule = pathToFileURL(join(REPO_ROOT, 'tests', 'host', 'startHost.mjs')).href;
    const { startHost } = (await import(startHostModule)) as { startHost: StartHost };
    const host = await startHost({
      workDir: WORK_DIR,
      datasources: [
        {
          uid: 'wiretrace',
          name: 'Wiretrace',
          type: 'wiretrace-correlation-datasource',
          isDefault: true,
          jsonData: {
            traceStore: 'jaeger',
            jaeger: { url: urls.jaeger, grpcUrl: urls.jaegerGrpc, datasourceUid: 'jaeger' },
            logStore: 'victorialogs',
            victorialogs: { url: urls.victoriaLogs },
            agentUrls: [scenario.agent.url],
            timeoutMs: 20_000,
          },
        },
        // Grafana's own Jaeger datasource, which the trace links open.
        { uid: 'jaeger', name: 'Jaeger', type: 'jaeger', url: urls.jaeger },
      ],
    });
    stopHost = host.stop;
    const file: HostScenario = {
      url: host.url,
      startedMs: scenario.startedMs,
      dropId: formatDropId(scenario.drop),
      drop: scenario.drop,
      failedTraceId: scenario.paymentCall.traceId,
      failedSpanId: scenario.paymentCall.spanId,
      okTraceId: scenario.okCall.traceId,
      frontend: scenario.frontend,
      payments: scenario.payments,
      catalog: scenario.catalog,
    };
    mkdirSync(WORK_DIR, { recursive: true });
    writeFileSync(SCENARIO_FILE, JSON.stringify(file, null, 2));
  } catch (err) {
    await scenario.cleanup();
    throw err;
  }
  return async () => {
    await stopHost?.();
    await scenario.cleanup();
  };
}
