// Who held an IP when: per IP, intervals [assigned, released) in time order. Pod IPs are reused, so an event at
// time t must map to the pod that held the address at t, not to whoever holds it now.

interface Holding<T> {
  key: string;
  value: T;
  start: number;
  end?: number;
}

export class IpTimeline<T> {
  private readonly byIp = new Map<string, Array<Holding<T>>>();

  // retentionUs bounds memory: closed intervals older than this (relative to the newest start seen) are dropped.
  constructor(private readonly retentionUs = 6 * 3600 * 1e6) {}

  // `key` is the holder (a pod's namespace/name): re-assigning to the same open holder only refreshes its value.
  assign(ip: string, key: string, value: T, startUs: number): void {
    const holdings = this.byIp.get(ip) ?? [];
    const last = holdings[holdings.length - 1];
    let start = startUs;
    if (last) {
      if (last.end === undefined && last.key === key) {
        last.value = value;
        return;
      }
      if (last.end === undefined) {
        // We missed the release (a delete lost in a watch gap): the new holder ends the old one.
        last.end = Math.max(last.start, start);
      }
      start = Math.max(start, last.end);
    }
    holdings.push({ key, value, start });
    this.byIp.set(ip, holdings);
    this.prune(ip, holdings, start);
  }

  release(ip: string, key: string, atUs: number): void {
    const holdings = this.byIp.get(ip);
    const open = holdings?.find((h) => h.key === key && h.end === undefined);
    if (open) {
      open.end = Math.max(open.start, atUs);
    }
  }

  // The holder at time t; without a time, the current holder.
  lookup(ip: string, atUs?: number): T | undefined {
    const holdings = this.byIp.get(ip);
    if (!holdings || holdings.length === 0) {
      return undefined;
    }
    if (atUs === undefined) {
      const last = holdings[holdings.length - 1];
      return last.end === undefined ? last.value : undefined;
    }
    // Last holding that started at or before t (holdings are sorted by start).
    let lo = 0;
    let hi = holdings.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (holdings[mid].start <= atUs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return undefined;
    }
    const holding = holdings[found];
    return holding.end === undefined || atUs < holding.end ? holding.value : undefined;
  }

  holdingsOf(ip: string): ReadonlyArray<Readonly<Holding<T>>> {
    return this.byIp.get(ip) ?? [];
  }

  get size(): number {
    return this.byIp.size;
  }

  private prune(ip: string, holdings: Array<Holding<T>>, nowUs: number): void {
    const horizon = nowUs - this.retentionUs;
    let drop = 0;
    while (drop < holdings.length - 1 && holdings[drop].end !== undefined && holdings[drop].end! < horizon) {
      drop++;
    }
    if (drop > 0) {
      holdings.splice(0, drop);
    }
    if (holdings.length === 0) {
      this.byIp.delete(ip);
    }
  }
}
