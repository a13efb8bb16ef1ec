// Frame encoding throughput: our Arrow IPC encoder against grafana-plugin-sdk-go's data.Frame → MarshalArrow (what
// every Go plugin sends) on the same 100k-row, 8-column flows-like rows, each timed in its own runtime the same way
// (frame from column values, then its bytes; median of 7 after one untimed run). The Go program
// (tests/conformance/cmd/framebench) then decodes both outputs with the SDK and compares them row by row.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from '../backend/frames/arrow';
import { benchFrame } from './lib/backendFrame';
import { buildGoCommand } from './lib/goTools';
import { report, round } from './lib/report';

const ROWS = 100_000;
const RUNS = 7;

interface GoResult {
  rows: number;
  medianMs: number;
  rowsPerSec: number;
  bytes: number;
  sameResult: boolean;
  difference?: string;
}

function medianMs(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

function main(): void {
  const frame = benchFrame(ROWS);
  let bytes = encodeFrame(frame);
  const ours = medianMs(() => (bytes = encodeFrame(frame)));
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-frames-bench-'));
  try {
    const columns = Object.fromEntries(
      frame.fields.map((f) => [f.name, f.type === 'time' ? (f.values as bigint[]).map(Number) : f.values])
    );
    // Times as exact integers: JSON numbers would round nanoseconds past 2^53.
    const timeNs = (frame.fields[0].values as bigint[]).map(String).join(',');
    writeFileSync(
      join(dir, 'columns.json'),
      JSON.stringify(columns).replace(/"time":\[[^\]]*\]/, `"time":[${timeNs}]`)
    );
    writeFileSync(join(dir, 'ours.arrow'), bytes);
    const framebench = buildGoCommand('framebench');
    const go = JSON.parse(
      execFileSync(
        framebench,
        ['-columns', join(dir, 'columns.json'), '-ours', join(dir, 'ours.arrow'), '-runs', String(RUNS)],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
        }
      )
    ) as GoResult;
    if (!go.sameResult) {
      process.stderr.write(`backend-frames: the SDK decodes different frames: ${go.difference}\n`);
    }
    const oursRate = ROWS / (ours / 1000);
    report({
      bench: 'backend frame encode 100k × 8',
      unit: 'rows/s',
      ours: Math.round(oursRate),
      peer: 'grafana-plugin-sdk-go data.Frame MarshalArrow',
      peerValue: Math.round(go.rowsPerSec),
      ratio: round(oursRate / go.rowsPerSec, 2),
      goal: '≥ the Go SDK',
      met: oursRate >= go.rowsPerSec,
      sameResult: go.sameResult,
      note:
        `both outputs decoded with the SDK's UnmarshalArrowFrame and compared field by field, row by row; ` +
        `${round(ours)} vs ${round(go.medianMs)} ms, ${bytes.byteLength} vs ${go.bytes} bytes; each side starts ` +
        `from its runtime's column values (JS arrays, Go slices)`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`backend-frames: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
