// TCP sequence numbers wrap at 2^32: compare them by signed 32-bit distance, never by value.

export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

export function seqLeq(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export function seqMax(a: number, b: number): number {
  return seqLt(a, b) ? b : a;
}
