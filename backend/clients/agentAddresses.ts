// Every address an agent URL's host names (A and AAAA): a headless Service is one name for all the agents.
import { lookup, Resolver } from 'node:dns/promises';

export interface ResolvedHost {
  addresses: string[];
  // How long the answer may be reused; the records' own TTL when DNS gave one.
  ttlMs?: number;
}

export type HostResolver = (host: string) => Promise<ResolvedHost>;

const DNS_TIMEOUT_MS = 2000;

// DNS first (it carries TTLs); a name only the hosts file knows (localhost, a compose alias) through the system's
// lookup, as any other connection of the process would resolve it.
export function systemHostResolver(): HostResolver {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 2 });
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([
      resolver.resolve4(host, { ttl: true }),
      resolver.resolve6(host, { ttl: true }),
    ]);
    const records = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (records.length > 0) {
      return {
        addresses: unique(records.map((r) => r.address)),
        ttlMs: Math.min(...records.map((r) => r.ttl)) * 1000,
      };
    }
    const found = await lookup(host, { all: true });
    return { addresses: unique(found.map((a) => a.address)) };
  };
}

function unique(addresses: string[]): string[] {
  return [...new Set(addresses)].sort();
}
