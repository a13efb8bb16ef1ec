// Drop ↔ span join on 1,000,000 CLIENT spans × 100,000 drops (seeded), ours vs DuckDB running the same join in SQL
// (bench/lib/joinSql.ts: our overlap, scoring, clamping, rounding and order) at 1 and at 2 threads. Each engine runs
// in its own process so that peak memory (max RSS) is its own. Both first load the rows into their own storage,
// untimed: DuckDB tables through its appender, ours the columnar span batch the Tempo parser builds. The timed step
// is the join producing the ordered, scored pairs; both answers are then compared row for row.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkEvent } from '../model/events';
import { SpanBatchBuilder } from '../backend/clients/spanBatch';
import type { Attributes } from '../backend/clients/tempoSpan';
import { matchDropsToSpans } from '../backend/join/matchDropsToSpans';
import {
  firstDifference,
  generateJoinRows,
  JOIN_DROPS,
  JOIN_SPANS,
  namespaceOf,
  packTriples,
  podName,
  serviceIp,
  serviceName,
  serviceNamespace,
  servicePort,
  SLACK_US,
} from './lib/joinData';
import { joinSql } from './lib/joinSql';
import { report, round } from './lib/report';

const RUNS = 3;
const SIZE = `${JOIN_SPANS / 1e6}M×${JOIN_DROPS / 1e3}k`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function maxRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 0);
}

interface EngineResult {
  times: number[];
  pairs: number;
  maxRssMb: number;
  threads: number;
}

// Runs in its own process: loads the rows, joins RUNS + 1 times (the first untimed), writes the sorted triples.
async function runOurs(outFile: string): Promise<void> {
  const builder = new SpanBatchBuilder(JOIN_SPANS);
  const resourceIds = new Map<number, number>();
  const destinationIds = new Map<string, number>();
  const drops: NetworkEvent[] = [];
  let n = 0;
  generateJoinRows(
    (row) => {
      const id = (n++).toString(16).padStart(16, '0');
      let resource = resourceIds.get(row.pod);
      if (resource === undefined) {
        const attributes: Attributes = {
          'service.name': `app-${row.pod % 50}`,
          'k8s.pod.name': podName(row.pod),
          'k8s.namespace.name': namespaceOf(row.pod),
        };
        resource = builder.internResource(attributes, `pod ${row.pod}`);
        resourceIds.set(row.pod, resource);
      }
      const destinationKey = `${row.host}:${row.port}`;
      let attributes = destinationIds.get(destinationKey);
      if (attributes === undefined) {
        attributes = builder.internAttributes({ 'server.address': row.host, 'server.port': row.port });
        destinationIds.set(destinationKey, attributes);
      }
      builder.add({
        traceId: id.padStart(32, '0'),
        spanId: id,
        name: 'POST',
        kind: 'client',
        startUs: row.startUs,
        endUs: row.endUs,
        statusCode: row.status,
        statusMessage: row.message,
        service: `app-${row.pod % 50}`,
        resource,
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
        drop: { reason: row.reason, verdict: 'dropped' },
      });
    }
  );
  const spans = builder.build();
  global.gc?.();
  const times: number[] = [];
  let matches = matchDropsToSpans(drops, spans, { slackUs: SLACK_US });
  for (let run = 0; run < RUNS; run++) {
    global.gc?.();
    const started = performance.now();
    matches = matchDropsToSpans(drops, spans, { slackUs: SLACK_US });
    times.push(performance.now() - started);
  }
  const triples = packTriples(matches.length, (put) => {
    for (const m of matches) {
      put(m.eventIndex, m.spanIndex, Math.round(m.confidence * 1000));
    }
  });
  writeFileSync(outFile, triples);
  finish({ times, pairs: matches.length, maxRssMb: maxRssMb(), threads: 1 });
}

function finish(result: EngineResult): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function runDuckDb(outFile: string, threads: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await db.connect();
  await con.run(
    `CREATE TABLE spans (span_idx INTEGER, pod_key VARCHAR, start_us BIGINT, end_us BIGINT, host VARCHAR, port INTEGER, status VARCHAR, message VARCHAR)`
  );
  await con.run(
    `CREATE TABLE drops (drop_idx INTEGER, pod_key VARCHAR, time_us BIGINT, end_us BIGINT, dst_ip VARCHAR, dst_port INTEGER, dst_service VARCHAR, dst_ns VARCHAR, reason VARCHAR)`
  );
  const spans = await con.createAppender('spans');
  const drops = await con.createAppender('drops');
  let s = 0;
  let d = 0;
  generateJoinRows(
    (row) => {
      spans.appendInteger(s++);
      spans.appendVarchar(`${namespaceOf(row.pod)}/${podName(row.pod)}`);
      spans.appendBigInt(BigInt(row.startUs));
      spans.appendBigInt(BigInt(row.endUs));
      spans.appendVarchar(row.host);
      spans.appendInteger(row.port);
      spans.appendVarchar(row.status);
      if (row.message === undefined) {
        spans.appendNull();
      } else {
        spans.appendVarchar(row.message);
      }
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
      drops.appendVarchar(row.reason);
      drops.endRow();
    }
  );
  spans.closeSync();
  drops.closeSync();
  const sql = joinSql(SLACK_US);
  const times: number[] = [];
  // One untimed run first, as ours gets one to compile.
  await con.run(sql);
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await con.run(sql);
    times.push(performance.now() - started);
  }
  const rows = (
    await con.runAndReadAll('SELECT drop_idx, span_idx, CAST(round(confidence * 1000) AS INTEGER) FROM matches')
  ).getRows();
  const triples = packTriples(rows.length, (put) => {
    for (const row of rows) {
      put(Number(row[0]), Number(row[1]), Number(row[2]));
    }
  });
  writeFileSync(outFile, triples);
  const setting = await con.runAndReadAll(`SELECT current_setting('threads')::INTEGER`);
  finish({ times, pairs: rows.length, maxRssMb: maxRssMb(), threads: Number(setting.getRows()[0][0]) });
  con.closeSync();
}

function inChild(args: string[]): EngineResult {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) {
    throw new Error(`${args.join(' ')} exited with ${child.status}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as EngineResult;
}

function readTriples(file: string): Int32Array {
  const bytes = readFileSync(file);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-join-bench-'));
  try {
    const ours = inChild(['--engine', 'ours', join(dir, 'ours.bin')]);
    const oursRows = readTriples(join(dir, 'ours.bin'));
    const runs = (t: number[]) => t.map((x) => round(x, 0)).join(', ');
    process.stderr.write(`join: ours ${ours.pairs} pairs in ${runs(ours.times)} ms (1 thread), ${ours.maxRssMb} MB\n`);
    for (const threads of [1, 2]) {
      const file = join(dir, `duckdb-${threads}.bin`);
      const duck = inChild(['--engine', 'duckdb', file, String(threads)]);
      const difference = firstDifference(oursRows, readTriples(file));
      if (difference) {
        process.stderr.write(`join: ours and DuckDB (${threads} threads) differ, first at ${difference}\n`);
      }
      process.stderr.write(
        `join: DuckDB ${duck.pairs} pairs in ${runs(duck.times)} ms (${duck.threads} threads), ${duck.maxRssMb} MB\n`
      );
      const oursMs = median(ours.times);
      const duckMs = median(duck.times);
      const sameResult = difference === undefined;
      const equalThreads = threads === 1;
      report({
        bench: `join drops×spans ${SIZE}, DuckDB at ${threads} thread${threads > 1 ? 's' : ''}`,
        unit: 'ms',
        ours: round(oursMs),
        peer: `DuckDB SQL of the same join, ${duck.threads} thread${duck.threads > 1 ? 's' : ''}`,
        peerValue: round(duckMs),
        ratio: round(oursMs / duckMs, 2),
        goal: '≤ 0.5× DuckDB at equal threads',
        met: equalThreads ? oursMs <= 0.5 * duckMs : undefined,
        sameResult,
        note:
          `same (drop, span, confidence) rows compared one by one (${ours.pairs} ours, ${duck.pairs} DuckDB); ` +
          `ours also writes each pair's why text and evidence, DuckDB's rows are three numbers` +
          (equalThreads ? '' : `; ours is single-threaded, so this is 1 thread against ${duck.threads}`),
      });
      report({
        bench: `join drops×spans ${SIZE} peak memory, DuckDB at ${threads} thread${threads > 1 ? 's' : ''}`,
        unit: 'MB',
        ours: ours.maxRssMb,
        peer: 'DuckDB process (max RSS)',
        peerValue: duck.maxRssMb,
        goal: '≤ DuckDB',
        met: ours.maxRssMb <= duck.maxRssMb,
        note: 'each process holds its rows (ours: span batch and drop objects; DuckDB: two tables) and the answer',
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const engine = process.argv.indexOf('--engine');
const run =
  engine < 0
    ? main()
    : process.argv[engine + 1] === 'ours'
      ? runOurs(process.argv[engine + 2])
      : runDuckDb(process.argv[engine + 2], Number(process.argv[engine + 3]));
run.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
