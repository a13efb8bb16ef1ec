// Full QueryData for `drops` (dispatch, join, frames, Arrow encoding) over 10,000 drops from an agent-like server
// and 10,000 spans from a Tempo-like server, both on loopback in a process of their own, as real upstreams are
// (so serving them takes nothing from ours). Reports our time beyond the time spent inside the upstreams
// (request arrival → last byte written, timed by the upstream process), p50 and p95 over repeated runs.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NetworkEvent } from '../model/events';
import { QueryDispatcher } from '../backend/datasource/dispatch';
import type { DatasourceSettings, Logger } from '../backend/datasource/types';
import { encodeFrame } from '../backend/frames/arrow';
import { queryHandlers } from '../backend/queries';
import { report, round } from './lib/report';
import BACKEND_EXEC_ARGV from '../backend/runtimeFlags.json';
import { seededRandom } from './lib/seededRandom';

const EVENTS = 10_000;
const SPANS = 10_000;
const PODS = 100;
const SERVICES = 20;
const T0_US = 1_763_719_200_000_000;
const WINDOW_US = 600_000_000;
const WARMUP = 5;
const RUNS = 60;

function agentBody(r: () => number): string {
  const events: NetworkEvent[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const pod = Math.floor(r() * PODS);
    const svc = Math.floor(r() * SERVICES);
    const time = T0_US + Math.floor(r() * WINDOW_US);
    events.push({
      kind: 'drop',
      time,
      endTime: time + Math.floor(r() * 3_000_000),
      transport: 'tcp',
      src: { ip: `10.244.0.${pod}`, port: 40000 + i, pod: `frontend-${pod}`, namespace: 'shop' },
      dst: { ip: `10.96.0.${svc}`, port: 8443, service: `svc-${svc}`, namespace: 'shop' },
      source: 'pcap',
      drop: {
        reason: 'policy_denied',
        verdict: 'dropped',
        policy: {
          allowed: false,
          egress: { allowed: true, policies: [], reason: 'no policy selects the source' },
          ingress: { allowed: false, policies: [`svc-${svc}-ingress`], reason: 'no rule allows shop/frontend' },
        },
      },
    });
  }
  events.sort((a, b) => a.time - b.time);
  return JSON.stringify({ node: 'bench', events, truncated: false });
}

function tempoBody(r: () => number): string {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const traces = [];
  for (let t = 0; t < SPANS / 4; t++) {
    const pod = Math.floor(r() * PODS);
    const spans = [];
    for (let s = 0; s < 4; s++) {
      const start = T0_US + Math.floor(r() * WINDOW_US);
      const svc = Math.floor(r() * SERVICES);
      spans.push({
        spanID: (t * 4 + s + 1).toString(16).padStart(16, '0'),
        name: 'POST',
        startTimeUnixNano: `${start}000`,
        durationNanos: `${Math.floor(r() * 3_000_000)}000`,
        attributes: [
          str('kind', 'client'),
          str('status', 'error'),
          str('statusMessage', 'connect ETIMEDOUT'),
          str('k8s.pod.name', `frontend-${pod}`),
          str('k8s.namespace.name', 'shop'),
          str('service.name', 'frontend'),
          str('server.address', `svc-${svc}.shop.svc.cluster.local`),
          { key: 'server.port', value: { intValue: '8443' } },
        ],
      });
    }
    traces.push({
      traceID: (t + 1).toString(16).padStart(32, '0'),
      rootServiceName: 'frontend',
      startTimeUnixNano: spans[0].startTimeUnixNano,
      durationMs: 10,
      spanSets: [{ spans, matched: 4 }],
    });
  }
  return JSON.stringify({ traces, metrics: { inspectedTraces: traces.length } });
}

// Times every upstream exchange on the server side, from the request's arrival until the last byte of the answer
// is handed to the socket, so that waiting on the upstream is not counted as our work.
let upstreamMs = 0;

async function serve(body: Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    const started = performance.now();
    res.on('finish', () => (upstreamMs += performance.now() - started));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.byteLength });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface UpstreamMessage {
  agentUrl?: string;
  tempoUrl?: string;
  upstreamMs?: number;
}

// The upstream process: serves both bodies, answers each "take" with the upstream time since the last one.
async function runUpstreams(): Promise<void> {
  const r = seededRandom(7);
  const agent = await serve(Buffer.from(agentBody(r)));
  const tempo = await serve(Buffer.from(tempoBody(r)));
  process.on('message', () => {
    process.send!({ upstreamMs } satisfies UpstreamMessage);
    upstreamMs = 0;
  });
  process.on('disconnect', () => {
    agent.server.close();
    tempo.server.close();
  });
  process.send!({ agentUrl: agent.url, tempoUrl: tempo.url } satisfies UpstreamMessage);
}

function nextMessage(child: ChildProcess): Promise<UpstreamMessage> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`upstream process exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (m) => {
      child.off('exit', exited);
      resolve(m as UpstreamMessage);
    });
  });
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, with: () => silent };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const upstreams = fork(__filename, ['--upstreams'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { agentUrl, tempoUrl } = await nextMessage(upstreams);
  const agent = { url: agentUrl! };
  const tempo = { url: tempoUrl! };
  const settings: DatasourceSettings = {
    uid: 'bench',
    name: 'Wiretrace',
    jsonData: { agentUrls: [agent.url], tempo: { url: tempo.url, datasourceUid: 'tempo' } },
    secure: {},
  };
  const dispatcher = new QueryDispatcher(queryHandlers);
  const request = {
    refId: 'A',
    queryType: 'drops',
    maxDataPoints: 1000,
    intervalMs: 1000,
    timeRange: { fromMs: T0_US / 1000, toMs: (T0_US + WINDOW_US) / 1000 },
    json: JSON.stringify({ queryType: 'drops', limit: EVENTS, slackMs: 500 }),
  };
  const overhead: number[] = [];
  const upstream: number[] = [];
  const cpuMs: number[] = [];
  let rows = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const responses = await dispatcher.queryData([request], settings, new AbortController().signal, silent);
    const response = responses.A;
    if (response.status !== 200) {
      throw new Error(`drops answered ${response.status}: ${response.error}`);
    }
    const bytes = response.frames.reduce((n, f) => n + encodeFrame(f).byteLength, 0);
    const total = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    upstreams.send('take');
    const { upstreamMs } = await nextMessage(upstreams);
    rows = response.frames[1].fields[0].values.length;
    if (i >= WARMUP) {
      overhead.push(total - upstreamMs!);
      upstream.push(upstreamMs!);
      // CPU this process used (our work only), immune to waiting for a core.
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    if (i === 0) {
      process.stderr.write(
        `drops: ${response.frames[0].fields[0].values.length} drops, ${rows} matches, ${bytes} Arrow bytes\n`
      );
    }
  }
  upstreams.disconnect();
  // On a shared machine the least contended run says what the code costs; p50/p95 also carry the contention.
  process.stderr.write(
    `overhead min ${round(Math.min(...overhead))} ms, upstream wait min ${round(Math.min(...upstream))} ms; process CPU per query p50 ${round(percentile(cpuMs, 0.5))} ms\n`
  );
  report({
    bench: 'QueryData drops 10k×10k overhead p50',
    unit: 'ms',
    ours: round(percentile(overhead, 0.5)),
    peer: 'upstream wait p50',
    peerValue: round(percentile(upstream, 0.5)),
  });
  report({
    bench: 'QueryData drops 10k×10k overhead p95',
    unit: 'ms',
    ours: round(percentile(overhead, 0.95)),
    peer: 'upstream wait p95',
    peerValue: round(percentile(upstream, 0.95)),
  });
}

// Measures under the V8 flags the backend executable runs with (its SEA execArgv): re-runs itself with them.
function runWithBackendFlags(): Promise<void> {
  const child = fork(__filename, process.argv.slice(2), {
    execArgv: [...process.execArgv, ...BACKEND_EXEC_ARGV],
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench exited with ${code}`))))
  );
}

const hasBackendFlags = BACKEND_EXEC_ARGV.every((flag) => process.execArgv.includes(flag));

(process.argv.includes('--upstreams') ? runUpstreams() : hasBackendFlags ? main() : runWithBackendFlags()).catch(
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
);
