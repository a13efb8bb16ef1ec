// The agents' durable events read back from Loki (one NetworkEvent JSON per line), merged with live agent events.
import type { NetworkEvent } from '../../model/events';
import { latestVersions } from '../../model/eventVersions';
import type { LogLine } from './lokiLogLine';

export interface ParsedEvents {
  events: NetworkEvent[];
  // Lines that were not a NetworkEvent; counted, never thrown.
  malformed: number;
}

export function parseEventLines(lines: readonly LogLine[]): ParsedEvents {
  const events: NetworkEvent[] = [];
  let malformed = 0;
  for (const line of lines) {
    const event = parseEventLine(line.line);
    if (event) {
      events.push(event);
    } else {
      malformed++;
    }
  }
  // An event the agent published again with newer counts is one event: its newest version.
  return { events: latestVersions(events), malformed };
}

export function parseEventLine(text: string): NetworkEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isNetworkEvent(value) ? value : undefined;
}

function isNetworkEvent(value: unknown): value is NetworkEvent {
  if (!value || typeof value !== 'object') {
    return false;
  }
  const e = value as Partial<NetworkEvent>;
  return (
    typeof e.kind === 'string' &&
    typeof e.time === 'number' &&
    Number.isFinite(e.time) &&
    typeof e.transport === 'string' &&
    typeof e.src?.ip === 'string' &&
    typeof e.dst?.ip === 'string'
  );
}

// The same event can come from an agent's memory and from Loki; keep one, preferring the first list unless the other
// holds a newer version of it.
export function mergeEvents(...lists: ReadonlyArray<readonly NetworkEvent[]>): NetworkEvent[] {
  const seen = new Map<string, number>();
  const merged: NetworkEvent[] = [];
  for (const list of lists) {
    for (const event of list) {
      const key = eventKey(event);
      const at = seen.get(key);
      if (at === undefined) {
        seen.set(key, merged.length);
        merged.push(event);
      } else if ((event.revision ?? 0) > (merged[at].revision ?? 0)) {
        merged[at] = event;
      }
    }
  }
  return merged.sort((a, b) => a.time - b.time);
}

function eventKey(e: NetworkEvent): string {
  return [e.kind, e.time, e.transport, e.src.ip, e.src.port ?? '', e.dst.ip, e.dst.port ?? '', e.dns?.id ?? ''].join(
    '|'
  );
}
