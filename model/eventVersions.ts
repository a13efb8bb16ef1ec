// Readers of a stream of published events keep only the newest version of each event that carries an id.
import type { NetworkEvent } from './events';

// Each id's newest revision, at the place its first version had; events without an id pass unchanged.
export function latestVersions(events: NetworkEvent[]): NetworkEvent[] {
  const at = new Map<string, number>();
  const out: NetworkEvent[] = [];
  for (const e of events) {
    if (e.id === undefined) {
      out.push(e);
      continue;
    }
    const i = at.get(e.id);
    if (i === undefined) {
      at.set(e.id, out.length);
      out.push(e);
    } else if ((e.revision ?? 0) >= (out[i].revision ?? 0)) {
      out[i] = e;
    }
  }
  return out;
}
