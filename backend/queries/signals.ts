// signals: the security signals the agents raised (suspicious ports, connections leaving the cluster, blocklisted
// addresses), newest first, and the same counted per rule and destination for a summary panel.
import { ENDPOINT_COLUMN, FRAME } from '../../model/frameNames';
import type { NetworkEvent } from '../../model/events';
import type { QueryContext, QueryHandler } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { flowsLinkConfig } from './links';
import { loadNetworkEvents } from './networkEvents';
import { column } from './tableColumn';

export const DEFAULT_SIGNALS_LIMIT = 2000;

export const signalsQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const loaded = await loadNetworkEvents(ctx, {
    kinds: ['signal'],
    range: ctx.timeRange,
    namespace: query.namespace,
    pod: query.pod,
    limit: query.limit ?? DEFAULT_SIGNALS_LIMIT,
  });
  if (loaded.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `Showing the first ${loaded.events.length} signals; raise the limit to see more.`,
    });
  }
  const needle = query.search?.toLowerCase();
  const signals = loaded.events
    .filter((e) => e.signal && (!needle || searchText(e).includes(needle)))
    .sort((a, b) => b.time - a.time);
  return [signalsFrame(ctx, signals), summaryFrame(ctx, signals)];
};

export function signalRules(e: NetworkEvent): string {
  return e.signal!.matches.map((m) => m.rule).join(', ');
}

function searchText(e: NetworkEvent): string {
  const s = e.signal!;
  return [e.src.ip, e.dst.ip, e.src.pod, e.dst.pod, ...s.matches.map((m) => `${m.rule} ${m.detail}`)]
    .join(' ')
    .toLowerCase();
}

function endpoint(e: NetworkEvent['dst']): string {
  return e.port === undefined ? e.ip : e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function signalsFrame(ctx: QueryContext, signals: NetworkEvent[]): Frame {
  return {
    name: FRAME.signals,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { ...column(signals, 'time', 'time', (e) => e.time / 1000), nullable: false },
      column(signals, 'severity', 'string', (e) => e.signal!.severity),
      column(signals, 'rules', 'string', signalRules),
      column(signals, 'detail', 'string', (e) => e.signal!.matches.map((m) => `${m.end}: ${m.detail}`).join('; ')),
      column(signals, 'source_namespace', 'string', (e) => e.src.namespace),
      column(signals, 'source_pod', 'string', (e) => e.src.pod, flowsLinkConfig('source_namespace', 'source_pod')),
      column(signals, ENDPOINT_COLUMN.source, 'string', (e) => endpoint(e.src)),
      column(signals, ENDPOINT_COLUMN.destination, 'string', (e) => endpoint(e.dst)),
      column(signals, 'destination_pod', 'string', (e) => e.dst.pod),
      column(signals, 'transport', 'string', (e) => e.transport),
      column(signals, 'seen_as', 'string', (e) => e.signal!.seenAs),
      column(signals, 'node', 'string', (e) => e.node),
    ],
  };
}

interface Summary {
  rules: string;
  severity: string;
  destination: string;
  count: number;
  sources: Set<string>;
  last: number;
}

function summaryFrame(ctx: QueryContext, signals: NetworkEvent[]): Frame {
  const groups = new Map<string, Summary>();
  for (const e of signals) {
    const rules = signalRules(e);
    const key = `${rules}\u0000${e.dst.ip}`;
    let g = groups.get(key);
    if (!g) {
      g = { rules, severity: e.signal!.severity, destination: e.dst.ip, count: 0, sources: new Set(), last: e.time };
      groups.set(key, g);
    }
    g.count++;
    g.sources.add(e.src.pod ? `${e.src.namespace ?? ''}/${e.src.pod}` : e.src.ip);
    g.last = Math.max(g.last, e.time);
  }
  const rows = [...groups.values()].sort((a, b) => b.count - a.count || a.destination.localeCompare(b.destination));
  return {
    name: FRAME.signalSummary,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      column(rows, 'severity', 'string', (g) => g.severity),
      column(rows, 'rules', 'string', (g) => g.rules),
      column(rows, ENDPOINT_COLUMN.destination, 'string', (g) => g.destination),
      column(rows, 'connections', 'int64', (g) => g.count),
      column(rows, 'sources', 'string', (g) => [...g.sources].sort().join(', ')),
      column(rows, 'last', 'time', (g) => g.last / 1000),
    ],
  };
}
