import { DatasourceInstance } from '../instance/datasourceInstance';
import { QueryDispatcher } from './dispatch';
import { HclogLogger } from './logger';
import { BackendMetrics } from './metrics';
import type { DataQueryRequest } from './requests';
import { QueryError, type DatasourceSettings, type QueryHandlers } from './types';

const settings: DatasourceSettings = { uid: 'wt', name: 'Wiretrace', jsonData: { maxRows: 3 }, secure: {} };
const instance = new DatasourceInstance(settings);
const logLines: string[] = [];
const logger = new HclogLogger({ write: (l: string) => logLines.push(l) }, 'debug');

function request(refId: string, json: unknown, queryType = ''): DataQueryRequest {
  return {
    refId,
    queryType,
    maxDataPoints: 100,
    intervalMs: 1000,
    timeRange: { fromMs: 1000, toMs: 2000 },
    json: typeof json === 'string' ? json : JSON.stringify(json),
  };
}

const handlers: QueryHandlers = {
  flows: async (ctx) => [
    {
      name: 'flows',
      fields: [{ name: 'n', type: 'number', values: [1, 2, 3, 4, 5] }],
      meta: { custom: { range: ctx.timeRange } },
    },
  ],
  dns: async (ctx) => {
    ctx.notices.push({ severity: 'warning', text: 'agent b failed' });
    return [];
  },
  topology: async () => {
    throw new QueryError(502, 'Tempo answered HTTP 500 for /api/search', 'downstream');
  },
  tcpHealth: async () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

describe('QueryDispatcher', () => {
  const metrics = new BackendMetrics(false);
  const dispatcher = new QueryDispatcher(handlers, metrics);

  it('answers every query on its own, whatever its siblings do', async () => {
    const responses = await dispatcher.queryData(
      [
        request('ok', { queryType: 'flows' }),
        request('bad', '{"queryType":'),
        request('unknown', { queryType: 'packets' }),
        request('notYet', { queryType: 'drops' }),
        request('down', { queryType: 'topology' }),
        request('bug', { queryType: 'tcpHealth' }),
      ],
      instance,
      new AbortController().signal,
      logger
    );
    expect(responses.ok.status).toBe(200);
    expect(responses.bad).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(responses.bad.error).toMatch(/^query JSON is malformed/);
    expect(responses.unknown.error).toBe(
      'unknown queryType "packets"; valid query types: drops, traceNetwork, topology, flows, tcpHealth, dns, logs, signals'
    );
    expect(responses.notYet).toMatchObject({ status: 501, errorSource: 'plugin' });
    expect(responses.notYet.error).toContain('drops is not implemented');
    expect(responses.down).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(responses.bug).toMatchObject({
      status: 500,
      errorSource: 'plugin',
      error: 'internal error: cannot read properties of undefined',
    });
  });

  it('sets refIds, passes the time range and applies the row limit with a notice', async () => {
    const { A } = await dispatcher.queryData(
      [request('A', { queryType: 'flows' })],
      instance,
      new AbortController().signal,
      logger
    );
    const frame = A.frames[0];
    expect(frame.refId).toBe('A');
    expect(frame.fields[0].values).toEqual([1, 2, 3]);
    expect(frame.meta?.custom).toMatchObject({ range: { fromMs: 1000, toMs: 2000 }, truncated: true, totalRows: 5 });
    expect(frame.meta?.notices?.[0].text).toContain('first 3 of 5 rows');
  });

  it('carries handler notices on a frame even when the handler returned none', async () => {
    const { D } = await dispatcher.queryData(
      [request('D', { queryType: 'dns' })],
      instance,
      new AbortController().signal,
      logger
    );
    expect(D.status).toBe(200);
    expect(D.frames).toEqual([
      { name: 'D', refId: 'D', fields: [], meta: { notices: [{ severity: 'warning', text: 'agent b failed' }] } },
    ]);
  });

  it('prefers the request queryType field over the JSON one', async () => {
    const { A } = await dispatcher.queryData(
      [request('A', { queryType: 'dns' }, 'flows')],
      instance,
      new AbortController().signal,
      logger
    );
    expect(A.frames[0].name).toBe('flows');
  });

  it('reports invalid settings on every query', async () => {
    const broken = new QueryError(400, 'invalid datasource settings: jsonData.tempo.url is not a valid URL', 'plugin');
    const r = await dispatcher.queryData(
      [request('A', { queryType: 'flows' })],
      broken,
      new AbortController().signal,
      logger
    );
    expect(r.A).toMatchObject({ status: 400, error: broken.message });
  });

  it('rejects each refId shared by several queries with one 400 naming it, and runs none of them', async () => {
    const calls: string[] = [];
    const counting = new QueryDispatcher({
      flows: async (ctx) => {
        calls.push(ctx.refId);
        return [];
      },
    });
    const queries = [
      ...Array.from({ length: 1000 }, () => request('A', { queryType: 'flows' })),
      request('B', { queryType: 'flows' }),
    ];
    const r = await counting.queryData(queries, instance, new AbortController().signal, logger);
    expect(Object.keys(r).sort()).toEqual(['A', 'B']);
    expect(r.A).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: 'refId "A" is used by 1000 queries in this request; give each query its own refId',
    });
    expect(r.B.status).toBe(200);
    expect(calls).toEqual(['B']);
  });

  it('answers refIds that name members of Object.prototype', async () => {
    const refIds = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const r = await dispatcher.queryData(
      refIds.map((refId) => request(refId, { queryType: 'flows' })),
      instance,
      new AbortController().signal,
      logger
    );
    expect(Object.keys(r).sort()).toEqual([...refIds].sort());
    refIds.forEach((refId) => expect(r[refId].status).toBe(200));
  });

  it('rejects an inverted time range with a 400 before asking any upstream', async () => {
    const inverted = { ...request('A', { queryType: 'topology' }), timeRange: { fromMs: 2000, toMs: 1000 } };
    const { A } = await dispatcher.queryData([inverted], instance, new AbortController().signal, logger);
    expect(A).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(A.error).toMatch(/^time range is inverted/);
  });

  it('labels metrics only with known query types, whatever the requests carry', async () => {
    const own = new BackendMetrics(false);
    const bounded = new QueryDispatcher(handlers, own);
    const before = (await own.prometheusText()).length;
    const queries = Array.from({ length: 500 }, (_, i) => request(`q${i}`, {}, `type-${i}-${'x'.repeat(i)}`));
    queries.push(request('big', {}, 'y'.repeat(10 * 1024 * 1024)));
    await bounded.queryData(queries, instance, new AbortController().signal, logger);
    const text = await own.prometheusText();
    expect(text).not.toMatch(/type-\d|yyyy/);
    expect(text).toContain(
      'wiretrace_backend_requests_total{endpoint="queryData",query_type="unknown",status="400"} 501'
    );
    expect(text).toContain('wiretrace_backend_query_errors_total{query_type="unknown",source="plugin"} 501');
    expect(text.length - before).toBeLessThan(4000);
  });

  it('logs a flood of failing queries as a few lines per kind', async () => {
    logLines.length = 0;
    const flooded = new QueryDispatcher(handlers);
    const queries = Array.from({ length: 500 }, (_, i) => request(`q${i}`, {}, `bogus-${i}`));
    await flooded.queryData(queries, instance, new AbortController().signal, logger);
    expect(logLines.length).toBe(10);
    expect(JSON.parse(logLines[0])).toMatchObject({ '@message': 'query failed', queryType: 'unknown', status: 400 });
  });

  it('never logs a huge queryType in full', async () => {
    logLines.length = 0;
    await dispatcher.queryData(
      [request('A', {}, 'z'.repeat(1024 * 1024))],
      instance,
      new AbortController().signal,
      logger
    );
    expect(logLines.join('').length).toBeLessThan(4000);
  });

  it('counts requests and errors by query type', async () => {
    const text = await metrics.prometheusText();
    expect(text).toContain('wiretrace_backend_requests_total{endpoint="queryData",query_type="flows",status="200"}');
    expect(text).toContain('wiretrace_backend_query_errors_total{query_type="topology",source="downstream"} 1');
    // A JSON-only unknown type (the request field empty) counts as unknown too, never as an empty label.
    expect(text).not.toContain('endpoint="queryData",query_type=""');
  });
});
