// tcpHealth: per service pair, retransmitted-packet ratio and RTT over time (numeric series alert rules can use), and a
// summary with goodput, RTT jitter and the health class of each pair.
import { FRAME } from '../../model/frameNames';
import type { NetworkEvent } from '../../model/events';
import { poolRttSpreads, rttSpreadOf, type RttSpread } from '../../model/rttSpread';
import { retransmitRate, tcpHealthClass } from '../../model/tcpHealthClass';
import type { QueryContext, QueryHandler } from '../datasource/types';
import type { Field, Frame } from '../frames/frame';
import { loadNetworkEvents } from './networkEvents';
import { nameEndpoint } from './serviceNames';
import { column } from './tableColumn';
import { bucketIndex, bucketTimes, bucketsFor, type Buckets } from './timeBuckets';

const EVENT_LIMIT = 50_000;

interface PairSeries {
  src: string;
  dst: string;
  retransmits: number[];
  packets: number[];
  rttSum: number[];
  rttCount: number[];
  flows: number;
  resets: number;
  rtts: number[];
  // Over the connections that reported goodput; each connection's RTT samples for the pair's jitter.
  payloadBytes: number;
  goodputBytes: number;
  spreads: RttSpread[];
}

export const tcpHealthQuery: QueryHandler = async (ctx) => {
  const { query } = ctx;
  const loaded = await loadNetworkEvents(ctx, {
    kinds: ['flow', 'reset'],
    range: ctx.timeRange,
    namespace: query.namespace,
    pod: query.pod,
    limit: query.limit ?? EVENT_LIMIT,
  });
  if (loaded.truncated) {
    ctx.notices.push({
      severity: 'info',
      text: `TCP health is computed from the first ${loaded.events.length} connections only.`,
    });
  }
  const buckets = bucketsFor(ctx);
  const pairs = pairSeries(
    loaded.events.filter((e) => e.transport === 'tcp' && matchesService(e, ctx)),
    buckets
  );
  const frames = [retransmitFrame(ctx, pairs, buckets), rttFrame(ctx, pairs, buckets)];
  return query.asTimeSeries ? frames : [...frames, summaryFrame(ctx, pairs)];
};

function matchesService(e: NetworkEvent, ctx: QueryContext): boolean {
  const service = ctx.query.service;
  return !service || e.src.service === service || e.dst.service === service;
}

function pairSeries(events: NetworkEvent[], buckets: Buckets): PairSeries[] {
  const pairs = new Map<string, PairSeries>();
  for (const e of events) {
    const i = bucketIndex(buckets, (e.endTime ?? e.time) / 1000);
    if (i < 0 || !e.flow) {
      continue;
    }
    const src = nameEndpoint(e.src).id;
    const dst = nameEndpoint(e.dst).id;
    const key = `${src}\u0000${dst}`;
    let p = pairs.get(key);
    if (!p) {
      const zeros = () => new Array<number>(buckets.count).fill(0);
      p = {
        src,
        dst,
        retransmits: zeros(),
        packets: zeros(),
        rttSum: zeros(),
        rttCount: zeros(),
        flows: 0,
        resets: 0,
        rtts: [],
        payloadBytes: 0,
        goodputBytes: 0,
        spreads: [],
      };
      pairs.set(key, p);
    }
    const tcp = e.flow.tcp;
    p.flows++;
    if (e.kind === 'reset' || e.flow.state === 'reset') {
      p.resets++;
    }
    p.retransmits[i] += tcp?.retransmits ?? 0;
    p.packets[i] += e.flow.toServer.packets + e.flow.toClient.packets;
    const rtt = tcp?.rttAvgUs ?? tcp?.handshakeRttUs;
    if (rtt !== undefined) {
      p.rttSum[i] += rtt;
      p.rttCount[i]++;
      p.rtts.push(rtt);
    }
    if (tcp?.payloadBytes !== undefined && tcp.goodputBytes !== undefined) {
      p.payloadBytes += tcp.payloadBytes;
      p.goodputBytes += tcp.goodputBytes;
    }
    const spread = rttSpreadOf(tcp);
    if (spread) {
      p.spreads.push(spread);
    }
  }
  return [...pairs.values()].sort((a, b) => a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst));
}

function wideFrame(ctx: QueryContext, name: string, buckets: Buckets, fields: Field[]): Frame {
  return {
    name,
    refId: ctx.refId,
    meta: { type: 'timeseries-wide', typeVersion: [0, 1], preferredVisualisationType: 'graph' },
    fields: [{ name: 'time', type: 'time', values: bucketTimes(buckets), nullable: false }, ...fields],
  };
}

function retransmitFrame(ctx: QueryContext, pairs: PairSeries[], buckets: Buckets): Frame {
  return wideFrame(
    ctx,
    'retransmit_rate',
    buckets,
    pairs.map((p) => ({
      name: 'retransmit_rate',
      type: 'number',
      // A bucket without packets had nothing to retransmit: 0, so alert rules never see gaps.
      values: p.packets.map((n, i) => (n > 0 ? p.retransmits[i] / n : 0)),
      labels: { src: p.src, dst: p.dst },
      config: { unit: 'percentunit', displayNameFromDS: `${p.src} → ${p.dst} retransmits` },
    }))
  );
}

function rttFrame(ctx: QueryContext, pairs: PairSeries[], buckets: Buckets): Frame {
  return wideFrame(
    ctx,
    'rtt',
    buckets,
    pairs.map((p) => ({
      name: 'rtt',
      type: 'number',
      values: p.rttCount.map((n, i) => (n > 0 ? p.rttSum[i] / n / 1000 : null)),
      nullable: true,
      labels: { src: p.src, dst: p.dst },
      config: { unit: 'ms', displayNameFromDS: `${p.src} → ${p.dst} RTT` },
    }))
  );
}

function summaryFrame(ctx: QueryContext, pairs: PairSeries[]): Frame {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const p95 = (values: number[]) => {
    if (values.length === 0) {
      return null;
    }
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] / 1000;
  };
  return {
    name: FRAME.tcpHealth,
    refId: ctx.refId,
    meta: { preferredVisualisationType: 'table' },
    fields: [
      column(pairs, 'src', 'string', (p) => p.src),
      column(pairs, 'dst', 'string', (p) => p.dst),
      column(pairs, 'connections', 'int64', (p) => p.flows),
      column(pairs, 'resets', 'int64', (p) => p.resets),
      column(pairs, 'retransmits', 'int64', (p) => sum(p.retransmits)),
      column(pairs, 'packets', 'int64', (p) => sum(p.packets)),
      column(
        pairs,
        'retransmit_rate',
        'number',
        (p) => (sum(p.packets) > 0 ? sum(p.retransmits) / sum(p.packets) : 0),
        { unit: 'percentunit' }
      ),
      column(pairs, 'rtt_avg', 'number', (p) => (p.rtts.length ? sum(p.rtts) / p.rtts.length / 1000 : null), {
        unit: 'ms',
      }),
      column(pairs, 'rtt_p95', 'number', (p) => p95(p.rtts), { unit: 'ms' }),
      column(pairs, 'rtt_jitter', 'number', (p) => rttJitterMs(p.spreads), { unit: 'ms', decimals: 2 }),
      column(pairs, 'goodput', 'int64', (p) => p.goodputBytes, { unit: 'decbytes' }),
      column(pairs, 'goodput_ratio', 'number', (p) => (p.payloadBytes > 0 ? p.goodputBytes / p.payloadBytes : null), {
        unit: 'percentunit',
      }),
      // The seed's classes of the retransmission rate (0–1 % healthy, 1–5 % degraded, 5 %+ severe).
      column(pairs, 'tcp_health', 'string', (p) => {
        const rate = retransmitRate(sum(p.retransmits), sum(p.packets));
        return rate === undefined ? null : tcpHealthClass(rate);
      }),
    ],
  };
}

function rttJitterMs(spreads: RttSpread[]): number | null {
  const pooled = poolRttSpreads(spreads);
  return pooled ? pooled.jitterUs / 1000 : null;
}
