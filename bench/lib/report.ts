// The one output format of every benchmark: a JSON line with ours next to a peer measured in the same run.

export interface BenchLine {
  bench: string;
  unit: 'ms' | 'rows/s' | 'pps' | 'MB' | 'ops/s' | 'x';
  ours: number;
  peer: string | null;
  peerValue: number | null;
}

export function report(line: BenchLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
