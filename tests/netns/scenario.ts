// The standard harness scenario: HTTP exchanges with trace context, a blackholed port (SYNs silently dropped), a
// refused port, DNS answers and NXDOMAIN, and a lossy path. Network tests and the pipeline benchmark build on it.
import { randomBytes } from 'node:crypto';
import { MiniCluster, type HttpRequestPlan } from './miniCluster';

export const DOMAIN = 'wt.test';
export const PORTS = { http: 8080, dropped: 9090, refused: 9191 } as const;

export function newTraceIds(): { traceId: string; spanId: string } {
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
}

export function buildScenarioCluster(): MiniCluster {
  return MiniCluster.create([
    { name: 'client', namespace: 'shop', host: 2, network: 'local', labels: { app: 'frontend' } },
    { name: 'loader', namespace: 'shop', host: 3, network: 'local', labels: { app: 'loadgen' } },
    { name: 'coredns', namespace: 'kube-system', host: 10, network: 'local', labels: { 'k8s-app': 'kube-dns' } },
    { name: 'web', namespace: 'shop', host: 2, network: 'remote', labels: { app: 'web' } },
  ]);
}

export interface ScenarioOptions {
  // Requests over the lossy path (more means more retransmissions to find).
  lossyRequests?: number;
  lossProbability?: number;
}

// Starts the servers and the path faults, then runs every client; the capture must already be running.
export async function runScenario(cluster: MiniCluster, options: ScenarioOptions = {}): Promise<void> {
  const web = cluster.pod('web');
  await cluster.startHttpServer('web', PORTS.http);
  await cluster.startDns('coredns', DOMAIN, { [`web.${DOMAIN}`]: web.ip, [`api.${DOMAIN}`]: web.ip });
  cluster.dropPath('client', 'web', PORTS.dropped);
  cluster.rejectPath('client', 'web', PORTS.refused);
  cluster.lossPath('loader', 'web', PORTS.http, options.lossProbability ?? 0.05);

  await cluster.lookup('client', 'coredns', [`web.${DOMAIN}`, `missing.${DOMAIN}`, `api.${DOMAIN}`, `gone.${DOMAIN}`]);

  const base = `http://${web.ip}:${PORTS.http}`;
  const propagations: Array<HttpRequestPlan['propagation']> = ['traceparent', 'b3', 'uber-trace-id'];
  const paths = ['/orders', '/status/503', '/cart', '/status/404', '/checkout', '/status/200'];
  const keepAlive = paths.map((path, i) => ({
    url: base + path,
    method: i === 4 ? 'POST' : 'GET',
    propagation: propagations[i % 3],
    ...newTraceIds(),
    ...(i === 4 ? { bodyBytes: 2048 } : {}),
  }));
  await cluster.runHttpClient('client', keepAlive, { keepAlive: true });
  await cluster.runHttpClient(
    'client',
    [{ url: `${base}/fresh`, method: 'GET', propagation: 'traceparent', ...newTraceIds() }],
    { keepAlive: false }
  );

  const doomed = (port: number, timeoutMs: number): HttpRequestPlan => ({
    url: `http://${web.ip}:${port}/pay`,
    method: 'GET',
    propagation: 'traceparent',
    timeoutMs,
    ...newTraceIds(),
  });
  await cluster.runHttpClient('client', [doomed(PORTS.dropped, 2500), doomed(PORTS.refused, 2500)], {
    keepAlive: false,
  });

  const lossy = Array.from({ length: options.lossyRequests ?? 40 }, () => ({
    url: `${base}/upload`,
    method: 'POST',
    propagation: 'traceparent' as const,
    bodyBytes: 64 * 1024,
    timeoutMs: 20_000,
    ...newTraceIds(),
  }));
  await cluster.runHttpClient('loader', lossy, { keepAlive: true });
}
