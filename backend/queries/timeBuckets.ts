// Fixed-width time buckets over the query range, for the numeric series alert rules evaluate.
import type { QueryContext } from '../datasource/types';

export interface Buckets {
  startMs: number;
  stepMs: number;
  count: number;
}

const MIN_STEP_MS = 1000;
const MAX_BUCKETS = 2000;

export function bucketsFor(ctx: QueryContext): Buckets {
  const { fromMs, toMs } = ctx.timeRange;
  const span = Math.max(1, toMs - fromMs);
  const byPoints = ctx.maxDataPoints > 0 ? span / ctx.maxDataPoints : 0;
  const stepMs = Math.max(MIN_STEP_MS, ctx.intervalMs || 0, Math.ceil(byPoints), Math.ceil(span / MAX_BUCKETS));
  const startMs = Math.floor(fromMs / stepMs) * stepMs;
  return { startMs, stepMs, count: Math.max(1, Math.ceil((toMs - startMs) / stepMs)) };
}

export function bucketIndex(b: Buckets, timeMs: number): number {
  const i = Math.floor((timeMs - b.startMs) / b.stepMs);
  return i < 0 || i >= b.count ? -1 : i;
}

export function bucketTimes(b: Buckets): number[] {
  return Array.from({ length: b.count }, (_, i) => b.startMs + i * b.stepMs);
}
