// Application logs of the drops' source pods around the drops, counted per drop.
import type { NetworkEvent } from '../../model/events';
import { isLogStoreConfigured, logStoreName } from '../clients/logStore';
import type { LogLine } from '../clients/lokiLogLine';
import { loadPodsLogs } from './appLogs';
import type { QueryContext } from '../datasource/types';
import { logsAroundEvents } from '../join/logsAroundEvents';
import { attempt } from './upstreamAttempt';

export const LOG_WINDOW_US = 5_000_000;
const MAX_PODS = 100;
const MAX_LINES = 5000;

// Counts per event index, or undefined when no log store is configured, it failed, or there are too many pods.
export async function logCountsAroundDrops(
  ctx: QueryContext,
  drops: readonly NetworkEvent[]
): Promise<number[] | undefined> {
  if (drops.length === 0 || !isLogStoreConfigured(ctx.instance.settings)) {
    return undefined;
  }
  const pods = [...new Set(drops.map((d) => d.src.pod).filter((p): p is string => !!p))].sort();
  if (pods.length === 0 || pods.length > MAX_PODS) {
    return undefined;
  }
  let fromUs = Infinity;
  let toUs = -Infinity;
  for (const d of drops) {
    fromUs = Math.min(fromUs, d.time - LOG_WINDOW_US);
    toUs = Math.max(toUs, (d.endTime ?? d.time) + LOG_WINDOW_US);
  }
  const result = await attempt(ctx, `${logStoreName(ctx.instance.settings)} (application logs)`, () =>
    loadPodsLogs(ctx, pods, { fromMs: fromUs / 1000, toMs: toUs / 1000 }, MAX_LINES)
  );
  if (!result.ok) {
    return undefined;
  }
  if (result.value.truncated) {
    ctx.notices.push({ severity: 'info', text: `Log counts consider the first ${MAX_LINES} log lines only.` });
  }
  return countPerDrop(drops, result.value.lines);
}

export function countPerDrop(drops: readonly NetworkEvent[], lines: readonly LogLine[]): number[] {
  return logsAroundEvents(drops, lines, LOG_WINDOW_US).map((e) => e.logIndices.length);
}
