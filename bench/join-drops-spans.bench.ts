// Drop ↔ span join on 1,000,000 CLIENT spans × 100,000 drops (seeded), ours vs DuckDB's SQL interval join on
// the same rows. Each side runs in its own process so that peak memory (max RSS) is measured per engine.
// Both engines first load the rows into their own storage, untimed: DuckDB tables through its appender, ours
// the columnar span batch the Tempo search parser builds. The timed step is the join producing scored pairs.
import { spawnSync } from 'node:child_process';
import type { NetworkEvent } from '../model/events';
import { SpanBatchBuilder } from '../backend/clients/spanBatch';
import type { Attributes } from '../backend/clients/tempoSpan';
import { matchDropsToSpans } from '../backend/join/matchDropsToSpans';
import { report, round } from './lib/report';
import { seededRandom } from './lib/seededRandom';

const SPANS = 1_000_000;
const DROPS = 100_000;
const PODS = 2000;
const NAMESPACES = 20;
const SERVICES = 200;
const WINDOW_US = 3_600_000_000;
const T0_US = 1_763_719_200_000_000;
const SLACK_US = 500_000;
const SEED = 20261121;
const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface SpanRow {
  pod: number;
  startUs: number;
  endUs: number;
  service: number;
  port: number;
  error: boolean;
  timeout: boolean;
}

interface DropRow {
  pod: number;
  timeUs: number;
  endUs: number;
  service: number;
}

function generate(onSpan: (row: SpanRow) => void, onDrop: (row: DropRow) => void): void {
  const r = seededRandom(SEED);
  for (let i = 0; i < SPANS; i++) {
    const startUs = T0_US + Math.floor(r() * WINDOW_US);
    // Mostly short calls, a tail of multi-second timeouts.
    const durationUs = r() < 0.1 ? 1_000_000 + Math.floor(r() * 4_000_000) : 1_000 + Math.floor(r() * 200_000);
    const error = r() < 0.15;
    onSpan({
      pod: Math.floor(r() * PODS),
      startUs,
      endUs: startUs + durationUs,
      service: Math.floor(r() * SERVICES),
      port: 8000 + Math.floor(r() * 4),
      error,
      timeout: error && r() < 0.6,
    });
  }
  for (let i = 0; i < DROPS; i++) {
    const timeUs = T0_US + Math.floor(r() * WINDOW_US);
    onDrop({
      pod: Math.floor(r() * PODS),
      timeUs,
      endUs: timeUs + Math.floor(r() * 3_000_000),
      service: Math.floor(r() * SERVICES),
    });
  }
}

const podName = (p: number) => `pod-${p}`;
const namespaceOf = (p: number) => `ns-${p % NAMESPACES}`;
const serviceName = (s: number) => `svc-${s}`;
const serviceNamespace = (s: number) => `ns-${s % NAMESPACES}`;
const serviceIp = (s: number) => `10.96.${s >> 8}.${s & 255}`;
const servicePort = (s: number) => 8000 + (s % 4);
const hostOf = (s: number) => `${serviceName(s)}.${serviceNamespace(s)}.svc.cluster.local`;

function maxRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 0);
}

async function runOurs(): Promise<void> {
  const resources: Attributes[] = Array.from({ length: PODS }, (_, p) => ({
    'service.name': `app-${p % 50}`,
    'k8s.pod.name': podName(p),
    'k8s.namespace.name': namespaceOf(p),
  }));
  const builder = new SpanBatchBuilder(SPANS);
  const resourceIds = resources.map((r, p) => builder.internResource(r, `pod ${p}`));
  const destinationIds = new Map<number, number>();
  const drops: NetworkEvent[] = [];
  let n = 0;
  generate(
    (row) => {
      const id = (n++).toString(16).padStart(16, '0');
      const destinationKey = row.service * 16 + row.port - 8000;
      let attributes = destinationIds.get(destinationKey);
      if (attributes === undefined) {
        attributes = builder.internAttributes({ 'server.address': hostOf(row.service), 'server.port': row.port });
        destinationIds.set(destinationKey, attributes);
      }
      builder.add({
        traceId: id.padStart(32, '0'),
        spanId: id,
        name: 'POST',
        kind: 'client',
        startUs: row.startUs,
        endUs: row.endUs,
        statusCode: row.error ? 'error' : 'unset',
        statusMessage: row.error ? (row.timeout ? 'connect ETIMEDOUT' : 'socket hang up') : undefined,
        service: `app-${row.pod % 50}`,
        resource: resourceIds[row.pod],
        attributes,
      });
    },
    (row) => {
      drops.push({
        kind: 'drop',
        time: row.timeUs,
        endTime: row.endUs,
        transport: 'tcp',
        src: { ip: `10.244.${row.pod >> 8}.${row.pod & 255}`, pod: podName(row.pod), namespace: namespaceOf(row.pod) },
        dst: {
          ip: serviceIp(row.service),
          port: servicePort(row.service),
          service: serviceName(row.service),
          namespace: serviceNamespace(row.service),
        },
        source: 'pcap',
        drop: { reason: 'policy_denied', verdict: 'dropped' },
      });
    }
  );
  const spans = builder.build();
  global.gc?.();
  const rssBefore = maxRssMb();
  // Each engine runs the join RUNS times on the same rows; the median is reported for both.
  const times: number[] = [];
  let matches = matchDropsToSpans(drops, spans, { slackUs: SLACK_US });
  for (let run = 0; run < RUNS; run++) {
    global.gc?.();
    const started = performance.now();
    matches = matchDropsToSpans(drops, spans, { slackUs: SLACK_US });
    times.push(performance.now() - started);
  }
  const ms = median(times);
  const duck = runDuckDbWorker();
  if (duck.rows !== matches.length) {
    throw new Error(`engines disagree: ours ${matches.length} pairs, DuckDB ${duck.rows}`);
  }
  const runs = (t: number[]) => t.map((x) => round(x, 0)).join(', ');
  process.stderr.write(
    `join: ${matches.length} pairs; data ${rssBefore} MB RSS before joining; ours ${runs(times)} ms (1 thread), DuckDB ${runs(duck.times)} ms (${duck.threads} threads)\n`
  );
  report({
    bench: 'join drops×spans 1M×100k',
    unit: 'ms',
    ours: round(ms),
    peer: `DuckDB SQL interval join, ${duck.threads} threads`,
    peerValue: round(duck.ms),
  });
  report({
    bench: 'join drops×spans peak memory',
    unit: 'MB',
    ours: maxRssMb(),
    peer: 'DuckDB process',
    peerValue: duck.maxRssMb,
  });
}

function runDuckDbWorker(): { ms: number; times: number[]; rows: number; maxRssMb: number; threads: number } {
  const child = spawnSync(process.execPath, [__filename, '--duckdb-worker'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) {
    throw new Error(`DuckDB worker exited with ${child.status}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

// The same rows in DuckDB: destination agreement, error agreement and ordering expressed in SQL.
async function runDuckDb(): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(
    `CREATE TABLE spans (span_idx INTEGER, pod_key VARCHAR, start_us BIGINT, end_us BIGINT, host VARCHAR, port INTEGER, status VARCHAR, message VARCHAR)`
  );
  await con.run(
    `CREATE TABLE drops (drop_idx INTEGER, pod_key VARCHAR, time_us BIGINT, end_us BIGINT, dst_ip VARCHAR, dst_port INTEGER, dst_service VARCHAR, dst_ns VARCHAR)`
  );
  const spans = await con.createAppender('spans');
  const drops = await con.createAppender('drops');
  let s = 0;
  let d = 0;
  generate(
    (row) => {
      spans.appendInteger(s++);
      spans.appendVarchar(`${namespaceOf(row.pod)}/${podName(row.pod)}`);
      spans.appendBigInt(BigInt(row.startUs));
      spans.appendBigInt(BigInt(row.endUs));
      spans.appendVarchar(hostOf(row.service));
      spans.appendInteger(row.port);
      spans.appendVarchar(row.error ? 'error' : 'unset');
      spans.appendVarchar(row.error ? (row.timeout ? 'connect ETIMEDOUT' : 'socket hang up') : '');
      spans.endRow();
    },
    (row) => {
      drops.appendInteger(d++);
      drops.appendVarchar(`${namespaceOf(row.pod)}/${podName(row.pod)}`);
      drops.appendBigInt(BigInt(row.timeUs));
      drops.appendBigInt(BigInt(row.endUs));
      drops.appendVarchar(serviceIp(row.service));
      drops.appendInteger(servicePort(row.service));
      drops.appendVarchar(serviceName(row.service));
      drops.appendVarchar(serviceNamespace(row.service));
      drops.endRow();
    }
  );
  spans.closeSync();
  drops.closeSync();
  const sql = `CREATE OR REPLACE TABLE matches AS
    SELECT d.drop_idx, s.span_idx,
      0.25
      + CASE WHEN s.host IN (d.dst_ip, d.dst_service, d.dst_service || '.' || d.dst_ns, d.dst_service || '.' || d.dst_ns || '.svc')
               OR starts_with(s.host, d.dst_service || '.' || d.dst_ns || '.svc.')
             THEN CASE WHEN s.port = d.dst_port THEN 0.4 ELSE 0.32 END
             ELSE -0.2 END
      + CASE WHEN s.status = 'error' AND regexp_matches(s.message, '(?i)timed? ?out|etimedout') THEN 0.2
             WHEN s.status = 'error' THEN 0.08 ELSE 0 END
      + 0.15 * exp(-abs(d.time_us - s.start_us) / 2000000.0) AS confidence
    FROM drops d JOIN spans s
      ON s.pod_key = d.pod_key AND s.start_us - ${SLACK_US} <= d.end_us AND s.end_us + ${SLACK_US} >= d.time_us
    ORDER BY d.time_us, d.drop_idx, confidence DESC, s.start_us, s.span_idx`;
  const times: number[] = [];
  // One untimed run first, as ours gets one to compile.
  await con.run(sql);
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await con.run(sql);
    times.push(performance.now() - started);
  }
  const ms = median(times);
  const count = await con.runAndReadAll('SELECT count(*)::INTEGER AS n FROM matches');
  const rows = Number(count.getRows()[0][0]);
  const setting = await con.runAndReadAll(`SELECT current_setting('threads')::INTEGER`);
  const threads = Number(setting.getRows()[0][0]);
  process.stdout.write(JSON.stringify({ ms, times, rows, maxRssMb: maxRssMb(), threads }) + '\n');
  con.closeSync();
}

(process.argv.includes('--duckdb-worker') ? runDuckDb() : runOurs()).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
