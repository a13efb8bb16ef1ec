// QueryData `drops` for 10,000 drops × 10,000 spans the way Grafana sends it: the Go SDK's plugin host
// (tests/conformance/cmd/querybench) starts the built backend executable and calls QueryData over gRPC, while
// the agent, Tempo and Loki answer from another process (bench/lib/upstreamServers.ts) with bodies that honour
// each request. Overhead = what the client saw minus the upstreams' own time (their exchanges' union, timed in
// the upstream process). The floor printed beside it is JSON.parse of the same bodies, under the backend's flags.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import BACKEND_EXEC_ARGV from '../backend/runtimeFlags.json';
import { ensureBackendExecutable } from './lib/backendExecutable';
import { buildGoCommand } from './lib/goTools';
import { observabilityData, T0_US, WINDOW_US } from './lib/observabilityData';
import { report, round } from './lib/report';
import { serveUpstreams, type UpstreamUrls } from './lib/upstreamServers';

const EVENTS = 10_000;
const SPANS = 10_000;
const LOG_LINES = 10_000;
const CONCURRENCY = 16;
// A profiling run points WIRETRACE_BENCH_PLUGIN at a wrapper that starts the bundle under --cpu-prof.
const PLUGIN = process.env.WIRETRACE_BENCH_PLUGIN;
const RUNS = process.env.WIRETRACE_BENCH_RUNS ?? '40';

function log(message: string): void {
  process.stderr.write(`querydata: ${message}\n`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

interface QueryBenchResult {
  singleMs: number[];
  upstreamMs: number[];
  concurrentMs: number[];
  concurrency: number;
  rows: Record<string, number>;
  arrowBytes: number;
  peakRssMb: number;
  rssAfterMb: number;
}

async function runUpstreams(): Promise<void> {
  const urls = await serveUpstreams(observabilityData(EVENTS, SPANS, LOG_LINES));
  process.send!(urls);
  process.on('disconnect', () => process.exit(0));
}

function upstreamProcess(): Promise<{ child: ChildProcess; urls: UpstreamUrls }> {
  // The upstreams' process runs under the backend's V8 flags, so the JSON.parse floor it times is the backend's.
  const child = fork(__filename, ['--upstreams'], {
    execArgv: [...BACKEND_EXEC_ARGV],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`upstream process exited with ${code}`)));
    child.once('message', (urls) => resolve({ child, urls: urls as UpstreamUrls }));
  });
}

async function main(): Promise<void> {
  const executable = PLUGIN ?? ensureBackendExecutable(log);
  const querybench = buildGoCommand('querybench');
  const { child, urls } = await upstreamProcess();
  try {
    const settings = {
      uid: 'bench',
      name: 'Wiretrace',
      jsonData: {
        agentUrls: [urls.agent],
        tempo: { url: urls.tempo, datasourceUid: 'tempo' },
        loki: { url: urls.loki },
      },
    };
    const run = spawnSync(
      querybench,
      [
        '-plugin',
        executable,
        '-settings',
        JSON.stringify(settings),
        '-query',
        JSON.stringify({ queryType: 'drops', limit: EVENTS, slackMs: 500 }),
        '-from',
        String(T0_US / 1000),
        '-to',
        String((T0_US + WINDOW_US) / 1000),
        '-control',
        urls.control,
        '-concurrency',
        String(CONCURRENCY),
        '-runs',
        RUNS,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 }
    );
    if (run.status !== 0) {
      throw new Error(`querybench exited with ${run.status}`);
    }
    const r = JSON.parse(run.stdout) as QueryBenchResult;
    const floor = (await (await fetch(`${urls.control}/floor`)).json()) as {
      parseMs: number;
      bytes: number;
      bodies: number;
    };
    const overhead = r.singleMs.map((ms, i) => ms - r.upstreamMs[i]);
    const p50 = percentile(overhead, 0.5);
    const p95 = percentile(overhead, 0.95);
    const singleP95 = percentile(r.singleMs, 0.95);
    const concurrentP95 = percentile(r.concurrentMs, 0.95);
    log(
      `${JSON.stringify(r.rows)} rows, ${r.arrowBytes} Arrow bytes; upstream bodies ${floor.bodies} of ${round(floor.bytes / 1e6, 2)} MB; ` +
        `latency p50 ${round(percentile(r.singleMs, 0.5))} ms, upstream p50 ${round(percentile(r.upstreamMs, 0.5))} ms`
    );
    const work = `${r.rows.drops ?? 0} drops × ${SPANS} spans (${r.rows.drop_span_matches ?? 0} matches), ${round(r.arrowBytes / 1e6, 2)} MB of frames`;
    report({
      bench: 'QueryData drops 10k×10k overhead p50 (gRPC from the Go SDK host)',
      unit: 'ms',
      ours: round(p50),
      peer: 'JSON.parse of the same upstream bodies (floor)',
      peerValue: round(floor.parseMs),
      ratio: round(p50 / floor.parseMs, 2),
      note: `${work}; client latency minus the upstreams' own time`,
    });
    report({
      bench: 'QueryData drops 10k×10k overhead p95 (gRPC from the Go SDK host)',
      unit: 'ms',
      ours: round(p95),
      peer: 'JSON.parse of the same upstream bodies (floor)',
      peerValue: round(floor.parseMs),
      ratio: round(p95 / floor.parseMs, 2),
      goal: '≤ 1.5× floor and ≤ 100 ms',
      met: p95 <= 1.5 * floor.parseMs && p95 <= 100,
      note: `${work}; upstream bodies ${round(floor.bytes / 1e6, 2)} MB in ${floor.bodies} responses (agent, Tempo, Loki events and logs)`,
    });
    report({
      bench: `QueryData drops 10k×10k latency p95, ${CONCURRENCY} concurrent`,
      unit: 'ms',
      ours: round(concurrentP95),
      peer: 'single-query latency p95',
      peerValue: round(singleP95),
      ratio: round(concurrentP95 / singleP95, 2),
      goal: '≤ 2× single',
      met: concurrentP95 <= 2 * singleP95,
      note: `${r.concurrentMs.length} queries in rounds of ${CONCURRENCY}; client-observed latency including the upstreams`,
    });
    report({
      bench: 'backend RSS during QueryData drops 10k×10k',
      unit: 'MB',
      ours: round(r.peakRssMb, 0),
      peer: null,
      peerValue: null,
      note: `peak (VmHWM) of the plugin process over single and ${CONCURRENCY}-concurrent queries; ${round(r.rssAfterMb, 0)} MB resident after`,
    });
  } finally {
    child.disconnect();
  }
}

(process.argv.includes('--upstreams') ? runUpstreams() : main()).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
