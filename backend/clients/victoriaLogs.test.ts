import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logsQuery } from '../queries/logs';
import { logCountsAroundDrops } from '../queries/podLogs';
import { policyDrop } from '../testkit/scenario';
import { queryContext } from '../testkit/queryContext';
import { startTestServer } from '../testkit/testServer';
import { UpstreamClient } from './http';
import { logPod } from './lokiLogLine';
import { VictoriaLogsClient } from './victoriaLogs';
import { rfc3339ToNs, streamFields, victoriaLogsLine } from './victoriaLogsLine';
import { podFilterLogsQL, traceLogsQL } from './victoriaLogsQL';

// Recorded from VictoriaLogs v1.52.2: two entries an OpenTelemetry SDK logger sent (one inside a span), one pushed
// through its Loki endpoint by an agent.
const recorded = readFileSync(
  join(__dirname, '..', 'queries', 'testdata', 'victorialogs-1.52.2-query-recorded.ndjson'),
  'utf8'
);
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const RANGE = { fromMs: Date.parse('2026-12-04T04:00:00Z'), toMs: Date.parse('2026-12-04T05:00:00Z') };

interface SeenRequest {
  method?: string;
  path: string;
  form: URLSearchParams;
}

async function victoriaLogs(body: string, status = 200) {
  const requests: SeenRequest[] = [];
  const server = await startTestServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      requests.push({
        method: req.method,
        path: new URL(req.url ?? '/', 'http://x').pathname,
        form: new URLSearchParams(text),
      });
      res.writeHead(status, { 'Content-Type': 'application/stream+json' });
      res.end(body);
    });
  });
  return { ...server, requests };
}

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function started(body: string, status = 200) {
  const server = await victoriaLogs(body, status);
  closers.push(server.close);
  return server;
}

describe('VictoriaLogs entries', () => {
  it('keep nanosecond times, stream fields apart from the entry’s own, and the trace id', () => {
    const [failed, started2, agent] = recorded
      .trim()
      .split('\n')
      .map((l) => victoriaLogsLine(JSON.parse(l)));
    expect(failed).toMatchObject({
      line: 'payment failed: connect ETIMEDOUT',
      traceId: TRACE,
      timeNs: '1796358107025000000',
    });
    expect(failed!.labels).toEqual({
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': 'frontend-abc',
      'service.name': 'shop-frontend',
    });
    expect(failed!.structuredMetadata).toMatchObject({ span_id: 'b7ad6b7169203331', severity_text: 'ERROR' });
    expect(logPod(failed!)).toEqual({ namespace: 'shop', pod: 'frontend-abc' });
    expect(started2!.traceId).toBeUndefined();
    // Eight fractional digits in, nine out.
    expect(agent!.timeNs).toBe('1796358224134652070');
    expect(agent!.labels).toEqual({ kind: 'drop', service_name: 'wiretrace-agent' });
  });

  it('skip an entry without a readable time instead of failing the query', () => {
    expect(victoriaLogsLine({ _msg: 'x', _time: 'yesterday' })).toBeUndefined();
    expect(rfc3339ToNs('2026-12-04T04:21:47+02:00')).toBe(1796350907000000000n);
    expect(streamFields('{a="x\\"y",b.c="z"}')).toEqual({ a: 'x"y', 'b.c': 'z' });
  });
});

describe('VictoriaLogsClient', () => {
  it('sends LogsQL with the range, sorted oldest first, and tells a truncated answer from a full one', async () => {
    const server = await started(recorded);
    const client = new VictoriaLogsClient(new UpstreamClient({ name: 'VictoriaLogs', baseUrl: server.url }));
    const full = await client.query({ logsQL: traceLogsQL(TRACE), range: RANGE, limit: 10 });
    expect(full).toMatchObject({ truncated: false, skipped: 0 });
    expect(full.lines.map((l) => l.line.slice(0, 24))).toEqual([
      'payment failed: connect ',
      'checkout started',
      // VictoriaLogs' own text for a pushed line it split into fields.
      'missing _msg field; see ',
    ]);
    const sent = server.requests[0];
    expect(sent).toMatchObject({ method: 'POST', path: '/select/logsql/query' });
    expect(sent.form.get('query')).toBe(`${traceLogsQL(TRACE)} | sort by (_time) limit 11`);
    expect(sent.form.get('start')).toBe('2026-12-04T04:00:00.000Z');
    expect(sent.form.get('end')).toBe('2026-12-04T05:00:00.000Z');
    const cut = await client.query({ logsQL: '*', range: RANGE, limit: 2 });
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toHaveLength(2);
  });

  it('quotes every value it puts into LogsQL', () => {
    expect(podFilterLogsQL({ pod: 'a") OR *', search: 'x.y' })).toBe(
      '-service_name:="wiretrace-agent" (k8s.pod.name:in("a\\") OR *") OR pod:in("a\\") OR *")) _msg:~"(?i)x\\\\.y"'
    );
  });

  it('names VictoriaLogs in the error when it refuses a query', async () => {
    const server = await started('cannot parse `query` arg', 400);
    const client = new VictoriaLogsClient(new UpstreamClient({ name: 'VictoriaLogs', baseUrl: server.url }));
    await expect(client.query({ logsQL: '*', range: RANGE, limit: 1 })).rejects.toThrow(/VictoriaLogs.*400/);
  });
});

describe('VictoriaLogs as the log store', () => {
  const jsonData = (url: string) => ({ logStore: 'victorialogs' as const, victorialogs: { url } });

  it('answers logs by trace id with the lines that carry it, severity from the OpenTelemetry record', async () => {
    const server = await started(recorded);
    const ctx = queryContext({ queryType: 'logs', traceId: TRACE.toUpperCase() }, jsonData(server.url), RANGE);
    const [frame] = await logsQuery(ctx);
    const column = (name: string) => frame.fields.find((f) => f.name === name)!.values;
    expect(column('body')).toEqual(['payment failed: connect ETIMEDOUT']);
    expect(column('severity')).toEqual(['error']);
    expect(column('trace_id')).toEqual([TRACE]);
    expect(frame.meta?.executedQueryString).toBe(traceLogsQL(TRACE));
  });

  it('scopes pod logs with the pod filter and says which setting is missing when it is not configured', async () => {
    const server = await started(recorded);
    await logsQuery(
      queryContext({ queryType: 'logs', namespace: 'shop', pod: 'frontend-abc' }, jsonData(server.url), RANGE)
    );
    expect(server.requests[0].form.get('query')).toContain(
      '(k8s.pod.name:in("frontend-abc") OR pod:in("frontend-abc"))'
    );
    const unset = queryContext({ queryType: 'logs', pod: 'x' }, { logStore: 'victorialogs' }, RANGE);
    await expect(logsQuery(unset)).rejects.toThrow('logs needs a log store: set jsonData.victorialogs.url');
  });

  it('counts the source pod’s logs around a drop', async () => {
    const server = await started(recorded);
    const drop = {
      ...policyDrop,
      time: Date.parse('2026-12-04T04:21:46Z') * 1000,
      endTime: undefined,
      src: { ...policyDrop.src, namespace: 'shop', pod: 'frontend-abc' },
    };
    const ctx = queryContext({ queryType: 'drops' }, jsonData(server.url), RANGE);
    expect(await logCountsAroundDrops(ctx, [drop])).toEqual([2]);
    expect(server.requests[0].form.get('query')).toContain('k8s.pod.name:in("frontend-abc")');
  });
});
