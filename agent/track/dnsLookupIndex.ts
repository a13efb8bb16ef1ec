// Remembers which name each client looked up to get an address, so a connection to that address can show the
// lookup as the first phase of its first exchange.
import type { NetworkEvent } from '../../model/events';

export interface DnsLookup {
  query: string;
  startUs: number;
  endUs: number;
}

const MAX_LOOKUPS = 4096;
// A lookup older than this before the connection opened was a cache fill, not part of this request's time.
const MAX_AGE_US = 30_000_000;

export class DnsLookupIndex {
  private readonly byClientAndAddress = new Map<string, DnsLookup>();

  // Every answered DNS event passes here; each address it answered with is remembered for the asking client.
  note(event: NetworkEvent): void {
    const dns = event.dns;
    if (event.kind !== 'dns' || !dns?.answered || event.endTime === undefined || dns.answers.length === 0) {
      return;
    }
    const lookup = { query: dns.query.replace(/\.$/, ''), startUs: event.time, endUs: event.endTime };
    for (const answer of dns.answers) {
      const key = `${event.src.ip}>${answer}`;
      // Re-inserted so the map's order stays oldest first.
      this.byClientAndAddress.delete(key);
      if (this.byClientAndAddress.size >= MAX_LOOKUPS) {
        this.byClientAndAddress.delete(this.byClientAndAddress.keys().next().value!);
      }
      this.byClientAndAddress.set(key, lookup);
    }
  }

  // The client's latest lookup that answered with serverIp and finished before the connection opened.
  lookupBefore(clientIp: string, serverIp: string, openedUs: number): DnsLookup | undefined {
    const lookup = this.byClientAndAddress.get(`${clientIp}>${serverIp}`);
    return lookup && lookup.endUs <= openedUs && openedUs - lookup.endUs <= MAX_AGE_US ? lookup : undefined;
  }
}
