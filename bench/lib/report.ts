// The one output format of every benchmark: a JSON line with ours next to a peer measured in the same run.

export interface BenchLine {
  bench: string;
  unit: 'ms' | 'rows/s' | 'pps' | 'MB' | 'ops/s' | 'x';
  ours: number;
  peer: string | null;
  peerValue: number | null;
  // ours / peerValue, where a ratio is what the goal speaks of.
  ratio?: number;
  // The target this line is held to, in words, and whether this run met it.
  goal?: string;
  met?: boolean;
  // Both sides' full answers compared (every row, not a count); absent where they produce nothing comparable.
  sameResult?: boolean;
  // What differs in the work the two sides do, or how the comparison was made.
  note?: string;
}

export function report(line: BenchLine): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
