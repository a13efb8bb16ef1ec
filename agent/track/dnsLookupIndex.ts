// Remembers which name each client looked up to get an address, so a connection to that address can show the
// lookup as the first phase of its first exchange.
import type { NetworkEvent } from '../../model/events';

export interface DnsLookup {
  query: string;
  startUs: number;
  endUs: number;
}

const MAX_KEYS = 4096;
const MAX_LOOKUPS_PER_KEY = 4;
// A lookup older than this before the connection opened was a cache fill, not part of this request's time.
const MAX_AGE_US = 30_000_000;

export class DnsLookupIndex {
  // Newest last, a few per client and address: an exchange is timed when it ends, after later lookups of that name.
  private readonly byClientAndAddress = new Map<string, DnsLookup[]>();

  // Every answered DNS event passes here; each address it answered with is remembered for the asking client.
  note(event: NetworkEvent): void {
    const dns = event.dns;
    if (event.kind !== 'dns' || !dns?.answered || event.endTime === undefined || dns.answers.length === 0) {
      return;
    }
    const lookup = { query: dns.query.replace(/\.$/, ''), startUs: event.time, endUs: event.endTime };
    for (const answer of dns.answers) {
      const key = `${event.src.ip}>${answer}`;
      const kept = this.byClientAndAddress.get(key) ?? [];
      // Re-inserted so the map's order stays oldest first.
      this.byClientAndAddress.delete(key);
      if (this.byClientAndAddress.size >= MAX_KEYS) {
        this.byClientAndAddress.delete(this.byClientAndAddress.keys().next().value!);
      }
      this.byClientAndAddress.set(key, [...kept.slice(1 - MAX_LOOKUPS_PER_KEY), lookup]);
    }
  }

  // The client's latest lookup that answered with serverIp and finished before the connection opened.
  lookupBefore(clientIp: string, serverIp: string, openedUs: number): DnsLookup | undefined {
    const kept = this.byClientAndAddress.get(`${clientIp}>${serverIp}`) ?? [];
    for (let i = kept.length - 1; i >= 0; i--) {
      const lookup = kept[i];
      if (lookup.endUs <= openedUs) {
        return openedUs - lookup.endUs <= MAX_AGE_US ? lookup : undefined;
      }
    }
    return undefined;
  }
}
