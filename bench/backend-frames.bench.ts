// Frame encoding throughput: our Arrow IPC file encoder vs apache-arrow's own tableFromArrays + tableToIPC,
// on the same 100k-row, 8-column flows-like data.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { encodeFrame } from '../backend/frames/arrow';
import { benchFrame } from './lib/backendFrame';
import { report, round } from './lib/report';

const ROWS = 100_000;
const RUNS = 7;

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

const frame = benchFrame(ROWS);
const ours = medianMs(() => encodeFrame(frame));

// The peer builds its columns from the same JS values; strings become dictionary columns (its default),
// which Grafana's reader would reject, so the peer does less work per string than we must.
const arrays = Object.fromEntries(
  frame.fields.map((f) => {
    if (f.type === 'time') {
      return [f.name, BigInt64Array.from(f.values as bigint[])];
    }
    if (f.type === 'int64') {
      return [f.name, BigInt64Array.from(f.values as number[], (v) => BigInt(v))];
    }
    if (f.type === 'number') {
      return [f.name, Float64Array.from(f.values as Array<number | null>, (v) => v ?? NaN)];
    }
    return [f.name, f.values];
  })
);
const peer = medianMs(() => tableToIPC(tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]), 'file'));

report({
  bench: 'backend frame encode 100k x 8',
  unit: 'rows/s',
  ours: Math.round(ROWS / (ours / 1000)),
  peer: 'apache-arrow tableFromArrays+tableToIPC',
  peerValue: Math.round(ROWS / (peer / 1000)),
});
report({
  bench: 'backend frame encode 100k x 8 (time)',
  unit: 'ms',
  ours: round(ours),
  peer: 'apache-arrow',
  peerValue: round(peer),
});
