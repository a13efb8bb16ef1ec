// `run` keeps capturing on ordinary HTTP: requests without any trace header each become an http event, and the
// agent stays healthy (the first such exchange used to stop capture for good).
import type { NetworkEvent } from '../../model/events';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { agentBuilt } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump', 'curl']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const API_PORT = 9474;
const HTTP_PORT = 8080;
const API = `http://127.0.0.1:${API_PORT}`;
const SERVER_SCRIPT = require.resolve('../netns/podScripts/httpServer.mjs');

describeNetwork('run on plain HTTP traffic', () => {
  let lo: LoopbackNamespace;
  let agent: Awaited<ReturnType<LoopbackNamespace['startAgent']>>;

  beforeAll(async () => {
    lo = LoopbackNamespace.create('plain');
    await lo.start(NODE_JS, [SERVER_SCRIPT, '127.0.0.1', String(HTTP_PORT)], /listening/, 'the HTTP server');
    agent = await lo.startAgent(API_PORT, ['capture: { interfaces: [lo], filter: "tcp" }']);
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it('reports 3 http events for 3 plain curl requests and stays healthy', async () => {
    for (const i of [1, 2, 3]) {
      await lo.run('curl', ['-sS', '-o', '/dev/null', `http://127.0.0.1:${HTTP_PORT}/plain/${i}`]);
    }
    // Waits for state: the three exchanges in the API, or the agent gone, or a generous deadline.
    let http: NetworkEvent[] = [];
    const deadline = Date.now() + 60_000;
    while (http.length < 3 && agent.exitCode === null && Date.now() < deadline) {
      const body = JSON.parse((await lo.get(`${API}/api/v1/events?kind=http`)).body) as { events: NetworkEvent[] };
      http = body.events;
      if (http.length < 3) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(agent.output()).not.toContain('live capture stopped');
    expect(http.map((e) => e.http?.path).sort()).toEqual(['/plain/1', '/plain/2', '/plain/3']);
    expect(http.every((e) => e.traceId === undefined && e.http?.status === 200)).toBe(true);
    const health = await lo.get(`${API}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', pipelineErrors: 0 });
    const metrics = (await lo.get(`${API}/metrics`)).body;
    expect(metrics).toContain('wiretrace_http_requests_total{status="200"} 3');
    expect(metrics).toContain('wiretrace_pipeline_errors_total{stage="sink"} 0');
  });
});
