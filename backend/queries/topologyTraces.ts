// Request and error rates per service pair from Tempo (TraceQL metrics over CLIENT spans), merged into the
// network edges: traces know requests and errors where the agents only saw encrypted or non-HTTP traffic.
import { traceQLInstant, type InstantSeries } from '../clients/tempoMetrics';
import { stringAttribute } from '../clients/tempoSpan';
import { isConfigured } from '../clients/upstreams';
import type { QueryContext } from '../datasource/types';
import type { ServiceEdge } from './topologyEdges';
import { attempt } from './upstreamAttempt';

export const CLIENT_RATE = '{ kind = client } | rate() by (resource.service.name, span.server.address)';
export const CLIENT_ERROR_RATE =
  '{ kind = client && status = error } | rate() by (resource.service.name, span.server.address)';

export interface TracedPair {
  source: string;
  target: string;
  requestsPerSecond: number;
  errorsPerSecond: number;
}

// Optional: an unconfigured Tempo leaves the network edges as they are; a failing one (or one without TraceQL
// metrics) too, with a notice saying the request rates come from captured traffic only. Jaeger has no span
// metrics API: with Jaeger as the trace store the edges come from network data only.
export async function tracedPairs(ctx: QueryContext): Promise<TracedPair[]> {
  if (ctx.instance.settings.jsonData.traceStore === 'jaeger' || !isConfigured(ctx.instance.settings, 'tempo')) {
    return [];
  }
  const http = ctx.instance.upstream('tempo');
  const series = await attempt(ctx, 'Tempo TraceQL metrics (request rates from traces)', () =>
    Promise.all([
      traceQLInstant(http, CLIENT_RATE, ctx.timeRange, ctx.signal),
      traceQLInstant(http, CLIENT_ERROR_RATE, ctx.timeRange, ctx.signal),
    ])
  );
  return series.ok ? pairsFromSeries(...series.value) : [];
}

export function pairsFromSeries(all: InstantSeries[], errors: InstantSeries[]): TracedPair[] {
  const pairs = new Map<string, TracedPair>();
  const add = (series: InstantSeries[], field: 'requestsPerSecond' | 'errorsPerSecond') => {
    for (const s of series) {
      const source = stringAttribute(s.labels, 'resource.service.name');
      const target = serviceOfAddress(stringAttribute(s.labels, 'span.server.address'));
      if (!source || !target) {
        continue;
      }
      const key = `${source}\u0000${target}`;
      const pair = pairs.get(key) ?? { source, target, requestsPerSecond: 0, errorsPerSecond: 0 };
      pair[field] += s.value;
      pairs.set(key, pair);
    }
  };
  add(all, 'requestsPerSecond');
  add(errors, 'errorsPerSecond');
  return [...pairs.values()];
}

// payments, payments.shop, payments.shop.svc.cluster.local → payments; IPs stay as they are.
export function serviceOfAddress(address: string | undefined): string | undefined {
  if (!address) {
    return undefined;
  }
  const host = address.toLowerCase().replace(/\.$/, '');
  return /^[\d.]+$/.test(host) || host.includes(':') ? host : host.split('.')[0];
}

// Fills requests and errors of edges whose pair Tempo knows; the network's own counts win where they exist.
export function mergeTracedPairs(edges: ServiceEdge[], pairs: TracedPair[], seconds: number): ServiceEdge[] {
  const byTitles = new Map(pairs.map((p) => [`${p.source}\u0000${p.target}`, p]));
  return edges.map((e) => {
    const pair = byTitles.get(`${e.source.title}\u0000${e.target.title}`);
    if (!pair || e.requests > 0) {
      return e;
    }
    return {
      ...e,
      requests: Math.round(pair.requestsPerSecond * seconds),
      errors: Math.round(pair.errorsPerSecond * seconds),
      requestsFromTraces: true,
    };
  });
}
