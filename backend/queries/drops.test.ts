import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDropId } from '../../model/dropId';
import type { Frame } from '../frames/frame';
import { dropsQuery } from './drops';
import { expectArrowRoundTrip } from '../testkit/arrowRoundTrip';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, policyDrop, T0_US, TRACE_ID } from '../testkit/scenario';

const fixture = (name: string) => readFileSync(join(__dirname, 'testdata', name), 'utf8');
const range = { fromMs: T0_US / 1000 - 60_000, toMs: T0_US / 1000 + 60_000 };
const emptyStreams = JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } });
const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;

describe('drops query', () => {
  const upstreams: LoopbackUpstream[] = [];
  afterEach(async () => {
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });
  const start = async (answer: Parameters<typeof startLoopbackUpstream>[0]) => {
    const u = await startLoopbackUpstream(answer);
    upstreams.push(u);
    return u;
  };

  it('joins agent drops with Tempo spans and counts the pod logs around each drop', async () => {
    const agent = await start((path) =>
      path === '/api/v1/events' ? { body: agentEventsBody([policyDrop]) } : undefined
    );
    const tempo = await start((path) => (path === '/api/search' ? { body: fixture('tempo-search.json') } : undefined));
    const loki = await start((path, q) => ({
      body: q.get('query')!.startsWith('{service_name="wiretrace-agent"')
        ? emptyStreams
        : fixture('loki-query-range.json'),
    }));
    const ctx = queryContext(
      { queryType: 'drops' },
      { agentUrls: [agent.url], tempo: { url: tempo.url, datasourceUid: 'tempo-uid' }, loki: { url: loki.url } },
      range
    );
    const [drops, matches] = await dropsQuery(ctx);
    expectArrowRoundTrip([drops, matches]);

    expect(drops.fields[0].values).toHaveLength(1);
    expect(field(drops, 'trace_id').values).toEqual([TRACE_ID]);
    expect(field(drops, 'confidence').values[0]).toBeGreaterThan(0.9);
    expect(field(drops, 'why').values[0]).toBe(
      "same pod shop/frontend-6b7d9c-x2k4p, destination payments.shop.svc.cluster.local:8443 matches drop dst, span errored 'connect ETIMEDOUT 10.96.14.2:8443' 3.0s after first SYN"
    );
    expect(field(drops, 'explanation').values).toEqual([
      'ingress denied (payments-ingress): no rule allows shop/frontend on port 8443',
    ]);
    expect(field(drops, 'policies').values).toEqual(['payments-ingress']);
    // Three of the fixture's lines are the frontend pod's, within five seconds of the drop.
    expect(field(drops, 'log_count').values).toEqual([3]);
    expect(field(drops, 'trace_id').config?.links?.map((l) => l.internal?.datasourceUid ?? l.url)).toEqual([
      'tempo-uid',
      '/a/wiretrace-correlation-app/investigate?traceId=${__value.raw}&${__url_time_range}',
    ]);
    expect(field(drops, 'drop_id').config?.links?.[0].url).toContain('/a/wiretrace-correlation-app/investigate?drop=');
    expect(field(drops, 'src_pod').config?.links?.[0].url).toContain(
      '/a/wiretrace-correlation-app/flows?var-namespace='
    );
    expect(matches.fields[0].values).toHaveLength(1);
    expect(matches.meta?.executedQueryString).toContain('resource.k8s.pod.name =~ "frontend-6b7d9c-x2k4p"');
    expect(ctx.notices).toEqual([]);
    expect(agent.requests[0].query.get('kind')).toBe('drop');
  });

  it('answers drops with a warning naming Tempo when Tempo is down', async () => {
    const agent = await start(() => ({ body: agentEventsBody([policyDrop]) }));
    const tempo = await start(() => ({ status: 503, body: 'ingester unavailable' }));
    const ctx = queryContext({ queryType: 'drops' }, { agentUrls: [agent.url], tempo: { url: tempo.url } }, range);
    const [drops] = await dropsQuery(ctx);
    expect(drops.fields[0].values).toHaveLength(1);
    expect(field(drops, 'matched_spans').values).toEqual([0]);
    expect(ctx.notices).toHaveLength(1);
    expect(ctx.notices[0].text).toMatch(/^Partial results: Tempo failed \(Tempo answered HTTP 503/);
  });

  it('fails as downstream only when no event source answered', async () => {
    const agent = await start(() => ({ status: 500, body: 'boom' }));
    const loki = await start(() => ({ status: 502, body: 'bad gateway' }));
    const ctx = queryContext({ queryType: 'drops' }, { agentUrls: [agent.url], loki: { url: loki.url } }, range);
    await expect(dropsQuery(ctx)).rejects.toMatchObject({ source: 'downstream', status: 502 });
  });

  it('reads durable drops from Loki for ranges the agents no longer hold', async () => {
    const lokiBody = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          {
            stream: { service_name: 'wiretrace-agent', kind: 'drop' },
            values: [
              [`${policyDrop.time}000`, JSON.stringify(policyDrop)],
              [`${policyDrop.time}001`, 'garbage'],
            ],
          },
        ],
      },
    });
    const loki = await start((path, q) => ({
      body: q.get('query')!.startsWith('{service_name="wiretrace-agent", kind=~"drop"}') ? lokiBody : emptyStreams,
    }));
    const ctx = queryContext({ queryType: 'drops', namespace: 'shop' }, { loki: { url: loki.url } }, range);
    const [drops] = await dropsQuery(ctx);
    expect(field(drops, 'src_pod').values).toEqual(['frontend-6b7d9c-x2k4p']);
    expect(ctx.notices.map((n) => n.text)).toEqual([
      'Tempo is not configured: drops are listed without the spans they broke.',
    ]);
  });

  it('returns numeric wide series per reason for alert rules', async () => {
    const second = {
      ...policyDrop,
      time: policyDrop.time + 1_000,
      drop: { reason: 'unanswered_syn', verdict: 'dropped' as const },
    };
    const agent = await start(() => ({
      body: agentEventsBody([policyDrop, second, { ...policyDrop, time: policyDrop.time + 5_000 }]),
    }));
    const ctx = queryContext({ queryType: 'drops', asTimeSeries: true }, { agentUrls: [agent.url] }, range);
    const [series] = await dropsQuery(ctx);
    expectArrowRoundTrip([series]);
    expect(series.meta?.type).toBe('timeseries-wide');
    expect(series.fields.map((f) => [f.type, f.labels])).toEqual([
      ['time', undefined],
      ['number', { reason: 'policy_denied' }],
      ['number', { reason: 'unanswered_syn' }],
    ]);
    const total = (i: number) => (series.fields[i].values as number[]).reduce((a, b) => a + b, 0);
    expect([total(1), total(2)]).toEqual([2, 1]);
    // Each series opens the case of its newest drop.
    const caseOf = (i: number) => series.fields[i].config?.links?.[0].url;
    expect(caseOf(1)).toContain(
      `/investigate?drop=${encodeURIComponent(formatDropId({ ...policyDrop, time: policyDrop.time + 5_000 }))}&`
    );
    expect(caseOf(2)).toContain(`/investigate?drop=${encodeURIComponent(formatDropId(second))}&`);
  });

  it('keeps only the drops that broke a span of the asked trace, and filters by policy', async () => {
    const unrelated = { ...policyDrop, time: policyDrop.time + 30_000_000, endTime: undefined };
    const agent = await start(() => ({ body: agentEventsBody([policyDrop, unrelated]) }));
    const tempo = await start(() => ({ body: fixture('tempo-search.json') }));
    const settings = { agentUrls: [agent.url], tempo: { url: tempo.url } };
    const [byTrace, matches] = await dropsQuery(
      queryContext({ queryType: 'drops', traceId: TRACE_ID }, settings, range)
    );
    expect(field(byTrace, 'time').values).toEqual([policyDrop.time / 1000]);
    expect(field(matches, 'drop_id').values).toEqual([field(byTrace, 'drop_id').values[0]]);
    const [other] = await dropsQuery(
      queryContext({ queryType: 'drops', policy: 'some-other-policy' }, settings, range)
    );
    expect(other.fields[0].values).toEqual([]);
  });

  it('takes a drop id: reads only around its time and answers that drop alone, with its fix', async () => {
    const fix = {
      direction: 'ingress' as const,
      change: 'create' as const,
      policy: 'shop/payments-allow-frontend-8443-tcp',
      description:
        'create shop/payments-allow-frontend-8443-tcp: allow app=frontend (shop) into app=payments on 8443/TCP',
      manifest: { kind: 'NetworkPolicy' },
      yaml: 'kind: NetworkPolicy\n',
    };
    const wanted = { ...policyDrop, drop: { ...policyDrop.drop!, suggestions: [fix] } };
    const later = { ...policyDrop, time: policyDrop.time + 20_000_000, endTime: undefined };
    const agent = await start(() => ({ body: agentEventsBody([wanted, later]) }));
    const id = `${policyDrop.time}-${policyDrop.src.ip}-${policyDrop.dst.ip}-${policyDrop.dst.port}`;
    const ctx = queryContext({ queryType: 'drops', dropId: id }, { agentUrls: [agent.url] }, range);
    const [drops] = await dropsQuery(ctx);
    expectArrowRoundTrip([drops]);
    expect(field(drops, 'drop_id').values).toEqual([id]);
    expect(JSON.parse(field(drops, 'suggestions').values[0] as string)).toEqual([fix]);
    expect(JSON.parse(field(drops, 'policy_explanation').values[0] as string)).toEqual(policyDrop.drop!.policy);
    // The agent was asked for two seconds (in ns) around the drop, not the whole range.
    const asked = agent.requests[0].query;
    expect(Number(asked.get('to')) - Number(asked.get('from'))).toBeLessThanOrEqual(2_000_000_000);
  });

  it('matches a trace id whatever its case: the filter is normalised before the join', async () => {
    const agent = await start(() => ({ body: agentEventsBody([policyDrop]) }));
    const tempo = await start(() => ({ body: fixture('tempo-search.json') }));
    const settings = { agentUrls: [agent.url], tempo: { url: tempo.url } };
    const [drops] = await dropsQuery(
      queryContext({ queryType: 'drops', traceId: TRACE_ID.toUpperCase() }, settings, range)
    );
    expect(field(drops, 'trace_id').values).toEqual([TRACE_ID]);
  });
});
