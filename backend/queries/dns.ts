// dns: every lookup the agents saw, and the failing names (NXDOMAIN, SERVFAIL, no answer) ranked by count.
import { FRAME } from '../../model/frameNames';
import type { NetworkEvent } from '../../model/events';
import type { QueryContext, QueryHandler } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { flowsLinkConfig } from './links';
import { loadNetworkEvents } from './networkEvents';
import { column } from './tableColumn';

export const DEFAULT_DNS_LIMIT = 5000;

export const dnsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const loaded = await loadNetworkEvents(ctx, {
    kinds: ['dns'],
    range: ctx.timeRange,
    namespace: query.namespace,
    pod: query.pod,
    limit: query.limit ?? DEFAULT_DNS_LIMIT,
  });
  if (loaded.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${loaded.events.length} lookups; raise the limit to see more.`,
    });
  }
  const needle = query.search?.toLowerCase();
  const lookups = loaded.events.filter((e) => e.dns && (!needle || e.dns.query.toLowerCase().includes(needle)));
  return [lookupsFrame(ctx, lookups), failuresFrame(ctx, lookups)];
};

export function dnsOutcome(e: NetworkEvent): string {
  if (!e.dns?.answered) {
    return 'no answer';
  }
  return e.dns.rcode ?? 'NOERROR';
}

function lookupsFrame(ctx: QueryContext, lookups: NetworkEvent[]): Frame {
  return {
    name: FRAME.dnsLookups,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { ...column(lookups, 'time', 'time', (e) => e.time / 1000), nullable: false },
      column(lookups, 'client_namespace', 'string', (e) => e.src.namespace),
      column(lookups, 'client_pod', 'string', (e) => e.src.pod, flowsLinkConfig('client_namespace', 'client_pod')),
      column(lookups, 'client_ip', 'string', (e) => e.src.ip),
      column(lookups, 'query', 'string', (e) => e.dns!.query),
      column(lookups, 'qtype', 'string', (e) => e.dns!.qtype),
      column(lookups, 'outcome', 'string', dnsOutcome),
      column(lookups, 'answers', 'string', (e) => e.dns!.answers.join(', ')),
      column(lookups, 'latency', 'number', (e) => (e.dns!.latencyUs === undefined ? null : e.dns!.latencyUs / 1000), {
        unit: 'ms',
      }),
      column(lookups, 'server', 'string', (e) => e.dst.ip),
    ],
  };
}

interface Failure {
  query: string;
  outcome: string;
  count: number;
  clients: Set<string>;
  first: number;
  last: number;
}

function failuresFrame(ctx: QueryContext, lookups: NetworkEvent[]): Frame {
  const failures = new Map<string, Failure>();
  for (const e of lookups) {
    const outcome = dnsOutcome(e);
    if (outcome === 'NOERROR') {
      continue;
    }
    const key = `${e.dns!.query}\u0000${outcome}`;
    let f = failures.get(key);
    if (!f) {
      f = { query: e.dns!.query, outcome, count: 0, clients: new Set(), first: e.time, last: e.time };
      failures.set(key, f);
    }
    f.count++;
    f.clients.add(e.src.pod ? `${e.src.namespace ?? ''}/${e.src.pod}` : e.src.ip);
    f.first = Math.min(f.first, e.time);
    f.last = Math.max(f.last, e.time);
  }
  const rows = [...failures.values()].sort((a, b) => b.count - a.count || a.query.localeCompare(b.query));
  return {
    name: FRAME.dnsFailures,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      column(rows, 'query', 'string', (f) => f.query),
      column(rows, 'outcome', 'string', (f) => f.outcome),
      column(rows, 'count', 'int64', (f) => f.count),
      column(rows, 'clients', 'string', (f) => [...f.clients].sort().join(', ')),
      column(rows, 'first', 'time', (f) => f.first / 1000),
      column(rows, 'last', 'time', (f) => f.last / 1000),
    ],
  };
}
