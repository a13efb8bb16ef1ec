import type { NetworkEvent } from '../../model/events';
import type { Frame } from '../frames/frame';
import { dnsQuery } from './dns';
import { flowsQuery } from './flows';
import { tcpHealthQuery } from './tcpHealth';
import { expectArrowRoundTrip } from '../testkit/arrowRoundTrip';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, frontend, payments, T0_US } from '../testkit/scenario';
import { topologyQuery } from './topology';

const range = { fromMs: T0_US / 1000, toMs: T0_US / 1000 + 60_000 };
const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;

const flow = (time: number, retransmits: number, rttUs: number, packets = 100): NetworkEvent => ({
  kind: 'flow',
  time,
  endTime: time + 1000,
  transport: 'tcp',
  src: frontend,
  dst: payments,
  source: 'pcap',
  flow: {
    state: 'closed',
    toServer: { bytes: 1000, packets: packets / 2 },
    toClient: { bytes: 1000, packets: packets / 2 },
    tcp: { retransmits, zeroWindow: 0, lifecycle: 31, rttAvgUs: rttUs },
  },
});

const lookup = (time: number, query: string, rcode: string | undefined, answered = true): NetworkEvent => ({
  kind: 'dns',
  time,
  transport: 'udp',
  src: frontend,
  dst: { ip: '10.96.0.10', port: 53 },
  source: 'pcap',
  dns: { id: time % 65536, query, qtype: 'A', rcode, answers: [], answered },
});

describe('network queries', () => {
  let agent: LoopbackUpstream;
  afterEach(() => agent?.close());

  it('tcpHealth: retransmit ratio and RTT per service pair and bucket, zero-filled for alerting', async () => {
    const measured = (time: number, retransmits: number, rttUs: number, goodput: number, jitterUs: number) => {
      const f = flow(time, retransmits, rttUs);
      f.flow!.tcp = {
        ...f.flow!.tcp!,
        payloadBytes: 10_000,
        goodputBytes: goodput,
        rttSamples: 2,
        rttJitterUs: jitterUs,
      };
      return f;
    };
    agent = await startLoopbackUpstream(() => ({
      body: agentEventsBody([
        measured(T0_US + 1_000_000, 5, 2000, 9_000, 100),
        measured(T0_US + 1_500_000, 0, 4000, 10_000, 100),
        flow(T0_US + 30_000_000, 0, 1000),
      ]),
    }));
    const ctx = queryContext({ queryType: 'tcpHealth' }, { agentUrls: [agent.url] }, range);
    ctx.maxDataPoints = 6;
    const [retransmits, rtt, summary] = await tcpHealthQuery(ctx);
    expectArrowRoundTrip([retransmits, rtt, summary]);
    expect(retransmits.fields[1].labels).toEqual({ src: 'shop/frontend', dst: 'shop/payments' });
    expect(retransmits.fields[0].values).toHaveLength(6);
    expect(retransmits.fields[1].values).toEqual([0.025, 0, 0, 0, 0, 0]);
    expect(rtt.fields[1].values).toEqual([3, null, null, 1, null, null]);
    expect(field(summary, 'retransmit_rate').values).toEqual([5 / 300]);
    expect(field(summary, 'rtt_p95').values).toEqual([4]);
    // Samples 1900, 2100, 3900, 4100 pooled; 5 of 300 packets resent (1.7 %).
    expect(field(summary, 'rtt_jitter').values[0]).toBeCloseTo(Math.sqrt(1_010_000) / 1000, 9);
    expect(field(summary, 'goodput').values).toEqual([19_000]);
    expect(field(summary, 'goodput_ratio').values).toEqual([0.95]);
    expect(field(summary, 'tcp_health').values).toEqual(['degraded']);
    expect(agent.requests[0].query.get('kind')).toBe('flow,reset');
  });

  it('flows: goodput, RTT jitter, retransmit rate and health class of TCP flows, with their units', async () => {
    const measured = flow(T0_US + 1, 3, 2000);
    measured.flow!.tcp = {
      ...measured.flow!.tcp!,
      payloadBytes: 12_000,
      retransmittedBytes: 1_500,
      goodputBytes: 10_500,
      rttSamples: 40,
      rttJitterUs: 350,
      retransmitRate: 0.03,
      health: 'degraded',
    };
    agent = await startLoopbackUpstream(() => ({
      body: agentEventsBody([measured, flow(T0_US + 2, 0, 1000), lookup(T0_US + 3, 'payments.shop', 'NOERROR')]),
    }));
    const [flows] = await flowsQuery(queryContext({ queryType: 'flows' }, { agentUrls: [agent.url] }, range));
    expectArrowRoundTrip([flows]);
    expect(field(flows, 'goodput').values).toEqual([10_500, null, null]);
    expect(field(flows, 'rtt_jitter').values).toEqual([0.35, null, null]);
    expect(field(flows, 'retransmit_rate').values).toEqual([0.03, null, null]);
    expect(field(flows, 'tcp_health').values).toEqual(['degraded', null, null]);
    expect(['goodput', 'rtt_jitter', 'retransmit_rate'].map((n) => field(flows, n).config?.unit)).toEqual([
      'decbytes',
      'ms',
      'percentunit',
    ]);
    // The columns the pages already read keep their names.
    for (const name of [
      'time',
      'kind',
      'src_pod',
      'dst_pod',
      'state',
      'bytes',
      'retransmits',
      'rtt',
      'drop_id',
      'trace_id',
    ]) {
      expect(field(flows, name)).toBeDefined();
    }
  });

  it('dns: lookups and failing names ranked by count', async () => {
    agent = await startLoopbackUpstream(() => ({
      body: agentEventsBody([
        lookup(T0_US + 1, 'payments.shop.svc.cluster.local', 'NOERROR'),
        lookup(T0_US + 2, 'paymnts.shop.svc.cluster.local', 'NXDOMAIN'),
        lookup(T0_US + 3, 'paymnts.shop.svc.cluster.local', 'NXDOMAIN'),
        lookup(T0_US + 4, 'ledger.shop.svc.cluster.local', undefined, false),
      ]),
    }));
    const [lookups, failures] = await dnsQuery(queryContext({ queryType: 'dns' }, { agentUrls: [agent.url] }, range));
    expectArrowRoundTrip([lookups, failures]);
    expect(field(lookups, 'outcome').values).toEqual(['NOERROR', 'NXDOMAIN', 'NXDOMAIN', 'no answer']);
    expect(field(failures, 'query').values).toEqual([
      'paymnts.shop.svc.cluster.local',
      'ledger.shop.svc.cluster.local',
    ]);
    expect(field(failures, 'count').values).toEqual([2, 1]);
    expect(field(failures, 'clients').values[0]).toBe('shop/frontend-6b7d9c-x2k4p');
  });

  it('topology: merges agents by service, colours by health and rates per second', async () => {
    const edge = (drops: number, requests: number, errors: number, rtt: number | null) => ({
      src: { ip: frontend.ip, namespace: 'shop', pod: frontend.pod, service: 'frontend' },
      dst: { ip: payments.ip, namespace: 'shop', pod: payments.pod, service: 'payments' },
      flows: 10,
      requests,
      errors,
      drops,
      retransmits: 1,
      packets: 1000,
      rttP95Us: rtt,
    });
    const healthy = { ...edge(0, 600, 0, 800), src: { ip: '10.0.0.1', namespace: 'shop', service: 'cart' } };
    // Two agents' halves of one service pair: goodput sums, the RTT samples pool (an older agent sends none).
    const first = {
      ...edge(2, 60, 3, 1500),
      retransmits: 30,
      payloadBytes: 50_000,
      goodputBytes: 45_000,
      rttSpread: { samples: 2, meanUs: 1000, jitterUs: 100 },
    };
    const otherHalf = {
      ...edge(0, 60, 0, 3000),
      payloadBytes: 10_000,
      goodputBytes: 10_000,
      rttSpread: { samples: 2, meanUs: 3000, jitterUs: 100 },
    };
    agent = await startLoopbackUpstream(() => ({
      body: JSON.stringify({ edges: [first, otherHalf, healthy, { bogus: true }] }),
    }));
    const second = await startLoopbackUpstream(() => ({ status: 500, body: 'down' }));
    const ctx = queryContext({ queryType: 'topology' }, { agentUrls: [agent.url, second.url] }, range);
    const [nodes, edges] = await topologyQuery(ctx);
    expectArrowRoundTrip([nodes, edges]);
    await second.close();
    expect(field(edges, 'id').values).toEqual(['shop/cart->shop/payments', 'shop/frontend->shop/payments']);
    expect(field(edges, 'mainstat').values).toEqual([10, 2]);
    expect(field(edges, 'detail__drops').values).toEqual([0, 2]);
    expect(field(edges, 'detail__p95_rtt').values).toEqual([0.8, 3]);
    expect(field(edges, 'color').values).toEqual(['green', 'red']);
    // cart: 1 of 1000 packets resent (0.1 %); frontend: 31 of 2000 (1.55 %).
    expect(field(edges, 'detail__tcp_health').values).toEqual(['healthy', 'degraded']);
    expect(field(edges, 'detail__goodput').values).toEqual([0, 55_000]);
    expect(field(edges, 'detail__goodput_ratio').values).toEqual([null, 55_000 / 60_000]);
    // Samples 900, 1100, 2900, 3100 pooled: standard deviation √1 010 000 µs.
    expect(field(edges, 'detail__rtt_jitter').values[0]).toBeNull();
    expect(field(edges, 'detail__rtt_jitter').values[1]).toBeCloseTo(Math.sqrt(1_010_000) / 1000, 9);
    expect(
      ['detail__goodput', 'detail__goodput_ratio', 'detail__rtt_jitter'].map((n) => field(edges, n).config?.unit)
    ).toEqual(['decbytes', 'percentunit', 'ms']);
    expect(field(nodes, 'id').values).toEqual(['shop/cart', 'shop/frontend', 'shop/payments']);
    expect(field(nodes, 'color').values).toEqual(['green', 'green', 'red']);
    expect(nodes.meta?.preferredVisualisationType).toBe('nodeGraph');
    // Each link once, on its own field: the node menu does not repeat them, an edge offers its drops only.
    const linkTitles = (frame: typeof nodes) =>
      frame.fields.flatMap((f) => (f.config?.links ?? []).map((l) => `${f.name}: ${l.title}`));
    expect(linkTitles(nodes)).toEqual([
      'detail__drops: Show drops',
      'detail__namespace: Drill down into this namespace',
      'detail__pod: Show flows of this pod',
      'detail__service: Show flows of this service',
    ]);
    expect(linkTitles(edges)).toEqual(['detail__drops: Drops on this edge']);
    expect(field(edges, 'detail__drops').config?.links?.[0].url).toContain(
      'var-pod=${__data.fields.detail__source_pod}&var-kinds=drop&var-kinds=reset&var-search=${__data.fields.detail__target}'
    );
    expect(field(edges, 'detail__target').values).toEqual([payments.pod, payments.pod]);
    const arcs = (i: number) =>
      (field(nodes, 'arc__ok').values[i] as number) + (field(nodes, 'arc__failed').values[i] as number);
    expect([arcs(0), arcs(1), arcs(2)]).toEqual([1, 1, 1]);
    expect(ctx.notices).toHaveLength(1);
    expect(ctx.notices[0].text).toContain(second.url);
  });

  it('topology: fills request and error rates from Tempo TraceQL metrics where no HTTP was captured', async () => {
    const tlsEdge = {
      src: { ip: frontend.ip, namespace: 'shop', service: 'frontend' },
      dst: { ip: payments.ip, namespace: 'shop', service: 'payments' },
      flows: 4,
      requests: 0,
      errors: 0,
      drops: 0,
      retransmits: 0,
      packets: 40,
      rttP95Us: null,
    };
    agent = await startLoopbackUpstream(() => ({ body: JSON.stringify({ edges: [tlsEdge] }) }));
    const label = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const tempo = await startLoopbackUpstream((path, q) => {
      const errorsOnly = q.get('q')!.includes('status = error');
      const series = [
        {
          labels: [
            label('resource.service.name', 'frontend'),
            label('span.server.address', 'payments.shop.svc.cluster.local'),
          ],
          value: errorsOnly ? 0.5 : 2,
        },
      ];
      return path === '/api/metrics/query' ? { body: JSON.stringify({ series }) } : undefined;
    });
    const ctx = queryContext({ queryType: 'topology' }, { agentUrls: [agent.url], tempo: { url: tempo.url } }, range);
    const [, edges] = await topologyQuery(ctx);
    await tempo.close();
    expect(field(edges, 'mainstat').values).toEqual([2]);
    expect(field(edges, 'secondarystat').values).toEqual([0.25]);
    expect(field(edges, 'detail__requests_source').values).toEqual(['Tempo spans']);
    expect(field(edges, 'color').values).toEqual(['red']);
  });
});
