import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import type { Frame } from '../frames/frame';
import { logsQuery } from './logs';
import { expectArrowRoundTrip } from '../testkit/arrowRoundTrip';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { queryContext } from '../testkit/queryContext';
import { agentEventsBody, frontend, payments, policyDrop, T0_US, TRACE_ID } from '../testkit/scenario';
import { traceNetworkQuery } from './traceNetwork';

const fixture = (name: string) => readFileSync(join(__dirname, 'testdata', name), 'utf8');
const range = { fromMs: T0_US / 1000 - 60_000, toMs: T0_US / 1000 + 60_000 };
const field = (frame: Frame, name: string) => frame.fields.find((f) => f.name === name)!;

const dnsLookup: NetworkEvent = {
  kind: 'dns',
  time: T0_US + 11_000,
  transport: 'udp',
  src: { ...frontend, port: 53001 },
  dst: { ip: '10.96.0.10', port: 53, service: 'kube-dns', namespace: 'kube-system' },
  source: 'pcap',
  dns: {
    id: 7,
    query: 'payments.shop.svc.cluster.local.',
    qtype: 'A',
    rcode: 'NOERROR',
    answers: ['10.96.14.2'],
    latencyUs: 800,
    answered: true,
  },
};
const otherPodFlow: NetworkEvent = {
  ...policyDrop,
  kind: 'flow',
  src: { ...frontend, pod: 'frontend-other' },
  drop: undefined,
};

describe('traceNetwork query', () => {
  const upstreams: LoopbackUpstream[] = [];
  afterEach(async () => {
    await Promise.all(upstreams.splice(0).map((u) => u.close()));
  });
  const start = async (answer: Parameters<typeof startLoopbackUpstream>[0]) => {
    const u = await startLoopbackUpstream(answer);
    upstreams.push(u);
    return u;
  };

  it('renders the trace with the drop and DNS lookup inside the failed CLIENT span, plus its logs', async () => {
    const tempo = await start((path) =>
      path === `/api/v2/traces/${TRACE_ID}` ? { body: fixture('tempo-trace-v2.json') } : undefined
    );
    const agent = await start(() => ({ body: agentEventsBody([dnsLookup, policyDrop, otherPodFlow]) }));
    const loki = await start((path, q) => ({
      body: q.get('query')!.startsWith('{service_name="wiretrace-agent"')
        ? JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } })
        : fixture('loki-query-range.json'),
    }));
    const ctx = queryContext(
      { queryType: 'traceNetwork', traceId: TRACE_ID.toUpperCase() },
      { agentUrls: [agent.url], tempo: { url: tempo.url, datasourceUid: 'tempo' }, loki: { url: loki.url } },
      range
    );
    const [trace, logs, events] = await traceNetworkQuery(ctx);
    expectArrowRoundTrip([trace, logs, events]);

    expect(trace.meta?.preferredVisualisationType).toBe('trace');
    expect(trace.fields.map((f) => f.name)).toEqual([
      'traceID',
      'spanID',
      'parentSpanID',
      'operationName',
      'serviceName',
      'serviceTags',
      'startTime',
      'duration',
      'logs',
      'references',
      'tags',
      'kind',
      'statusCode',
      'statusMessage',
      'instrumentationLibraryName',
      'instrumentationLibraryVersion',
      'warnings',
      'network_case',
    ]);
    expect(field(trace, 'spanID').values).toEqual(['b7ad6b7169203331', '00f067aa0ba902b7']);
    expect(field(trace, 'kind').values).toEqual(['server', 'client']);
    expect(field(trace, 'statusCode').values).toEqual([2, 2]);
    expect(field(trace, 'startTime').values[1]).toBeCloseTo(1763719200012.345, 3);
    expect(field(trace, 'duration').values[1]).toBe(3000);
    const clientLogs = field(trace, 'logs').values[1] as Array<{
      name: string;
      fields: Array<{ key: string; value: unknown }>;
    }>;
    expect(clientLogs.map((l) => l.name)).toEqual([
      'DNS A payments.shop.svc.cluster.local. → NOERROR',
      'network drop: policy_denied',
      'exception',
    ]);
    expect(clientLogs[1].fields).toContainEqual({
      key: 'policy',
      value: 'ingress denied (payments-ingress): no rule allows shop/frontend on port 8443',
    });
    expect(field(trace, 'logs').values[0]).toEqual([]);
    expect(field(trace, 'warnings').values[1]).toEqual([
      expect.stringMatching(/^Network: same pod shop\/frontend-6b7d9c-x2k4p, destination payments/),
    ]);
    expect(field(trace, 'warnings').values[0]).toBeNull();
    // The span the drop explains links straight to the drop's case; the other to the trace's page.
    expect(field(trace, 'network_case').values).toEqual([
      `/a/wiretrace-correlation-app/investigate?traceId=${TRACE_ID}`,
      `/a/wiretrace-correlation-app/investigate?drop=${policyDrop.time}-${policyDrop.src.ip}-${policyDrop.dst.ip}-8443`,
    ]);
    expect(field(trace, 'network_case').config?.links?.[0].url).toBe('${__value.raw}&${__url_time_range}');

    expect(logs.meta?.preferredVisualisationType).toBe('logs');
    expect(field(logs, 'body').values).toHaveLength(3);
    expect(events.name).toBe('network_events');
    expect(field(events, 'kind').values).toEqual(['dns', 'drop']);
    // Every drop row links to its case, in the flows frame the network events reuse.
    expect(field(events, 'drop_id').values).toEqual([
      null,
      `${policyDrop.time}-${policyDrop.src.ip}-${policyDrop.dst.ip}-8443`,
    ]);
    expect(field(events, 'drop_id').config?.links?.[0].url).toContain('/investigate?drop=${__data.fields.drop_id}');
    expect(ctx.notices).toEqual([]);
  });

  it('still renders the trace when the agents are unreachable, with a notice naming them', async () => {
    const tempo = await start(() => ({ body: fixture('tempo-trace-v2.json') }));
    const ctx = queryContext(
      { queryType: 'traceNetwork', traceId: TRACE_ID },
      { agentUrls: ['http://127.0.0.1:9'], tempo: { url: tempo.url } },
      range
    );
    const [trace] = await traceNetworkQuery(ctx);
    expect(field(trace, 'spanID').values).toHaveLength(2);
    expect(ctx.notices[0].text).toMatch(/^Partial results: capture agents failed .*127\.0\.0\.1:9/);
  });

  it('looks outside the panel range when the trace is not inside it', async () => {
    const tempo = await start((path, q) =>
      path === `/api/v2/traces/${TRACE_ID}` && !q.has('start') ? { body: fixture('tempo-trace-v2.json') } : undefined
    );
    const [trace] = await traceNetworkQuery(
      queryContext({ queryType: 'traceNetwork', traceId: TRACE_ID }, { tempo: { url: tempo.url } }, range)
    );
    expect(field(trace, 'spanID').values).toHaveLength(2);
    expect(tempo.requests.map((r) => [r.path, r.query.has('start')])).toEqual([
      [`/api/v2/traces/${TRACE_ID}`, true],
      [`/api/traces/${TRACE_ID}`, true],
      [`/api/v2/traces/${TRACE_ID}`, false],
    ]);
  });

  it('answers 404 from the downstream side for an unknown trace and 400 for a bad id', async () => {
    const tempo = await start(() => undefined);
    const settings = { tempo: { url: tempo.url } };
    await expect(
      traceNetworkQuery(queryContext({ queryType: 'traceNetwork', traceId: 'abc' }, settings, range))
    ).rejects.toMatchObject({
      status: 404,
      source: 'downstream',
    });
    await expect(traceNetworkQuery(queryContext({ queryType: 'traceNetwork' }, settings, range))).rejects.toMatchObject(
      { status: 400, source: 'plugin' }
    );
  });
});

describe('logs query', () => {
  let loki: LoopbackUpstream;
  afterEach(() => loki?.close());

  it('queries both trace id forms and returns one logs frame without duplicates', async () => {
    loki = await startLoopbackUpstream(() => ({ body: fixture('loki-query-range.json') }));
    const ctx = queryContext({ queryType: 'logs', traceId: TRACE_ID }, { loki: { url: loki.url } }, range);
    const [frame] = await logsQuery(ctx);
    expectArrowRoundTrip([frame]);
    expect(loki.requests.map((r) => r.query.get('query'))).toEqual([
      `{service_name=~".+", service_name!="wiretrace-agent"} | trace_id="${TRACE_ID}"`,
      `{service_name=~".+", service_name!="wiretrace-agent"} |= "${TRACE_ID}"`,
    ]);
    expect(frame.meta?.type).toBe('log-lines');
    expect(field(frame, 'body').values).toHaveLength(3);
    expect(field(frame, 'severity').values[0]).toBe('error');
  });

  it('scopes pod logs with both label conventions', async () => {
    loki = await startLoopbackUpstream(() => ({
      body: JSON.stringify({ status: 'success', data: { resultType: 'streams', result: [] } }),
    }));
    const ctx = queryContext(
      { queryType: 'logs', namespace: 'shop', pod: payments.pod, search: 'time.out' },
      { loki: { url: loki.url } },
      range
    );
    await logsQuery(ctx);
    expect(loki.requests[0].query.get('query')).toBe(
      `{service_name=~".+", service_name!="wiretrace-agent"} | namespace="shop" or k8s_namespace_name="shop" | pod="payments-5f4d-q9z8r" or k8s_pod_name="payments-5f4d-q9z8r" |~ "(?i)time\\\\.out"`
    );
  });
});
