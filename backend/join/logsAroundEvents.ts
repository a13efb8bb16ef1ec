// Logs of the same pod in a window around each network event (e.g. the client's own "connect timeout" line).
import type { NetworkEvent } from '../../model/events';
import { logPod, type LogLine } from '../clients/lokiLogLine';
import { eventEnd } from './podOverlap';

export interface EventLogs {
  eventIndex: number;
  // Indices into the logs input, in time order.
  logIndices: number[];
}

// Hash by pod, sort each pod's logs once, then binary-search every event's window.
export function logsAroundEvents(
  events: readonly NetworkEvent[],
  logs: readonly LogLine[],
  windowUs: number
): EventLogs[] {
  const byPod = new Map<string, number[]>();
  for (let i = 0; i < logs.length; i++) {
    const { namespace, pod } = logPod(logs[i]);
    if (!pod) {
      continue;
    }
    for (const key of namespace ? [`${namespace}/${pod}`, pod] : [pod]) {
      const list = byPod.get(key) ?? [];
      list.push(i);
      byPod.set(key, list);
    }
  }
  for (const list of byPod.values()) {
    list.sort((a, b) => logs[a].timeUs - logs[b].timeUs || a - b);
  }
  return events.map((event, eventIndex) => {
    const src = event.src;
    const key = src.pod ? (src.namespace ? `${src.namespace}/${src.pod}` : src.pod) : undefined;
    const list = key ? byPod.get(key) : undefined;
    if (!list) {
      return { eventIndex, logIndices: [] };
    }
    const from = event.time - windowUs;
    const to = eventEnd(event) + windowUs;
    const logIndices: number[] = [];
    for (let k = lowerBound(list, logs, from); k < list.length && logs[list[k]].timeUs <= to; k++) {
      logIndices.push(list[k]);
    }
    return { eventIndex, logIndices };
  });
}

function lowerBound(list: number[], logs: readonly LogLine[], timeUs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (logs[list[mid]].timeUs < timeUs) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}
