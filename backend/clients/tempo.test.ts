import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpstreamClient } from './http';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { TempoClient } from './tempo';
import { spanAt } from './spanBatch';
import { clientSpanTraceQL, parseTempoSearch } from './tempoSearch';
import { parseTempoTrace } from './tempoTrace';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'queries', 'testdata', name), 'utf8');
const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('parseTempoTrace', () => {
  it('reads the v2 wrapper with base64 ids, enums as names and int64 strings', () => {
    const { spans, skipped } = parseTempoTrace(JSON.parse(fixture('tempo-trace-v2.json')));
    expect(skipped).toBe(1);
    expect(spans).toHaveLength(2);
    const client = spans[1];
    expect(client).toMatchObject({
      traceId: TRACE,
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'b7ad6b7169203331',
      kind: 'client',
      startUs: 1763719200012345,
      endUs: 1763719203012345,
      status: { code: 'error', message: 'connect ETIMEDOUT 10.96.14.2:8443' },
      service: 'frontend',
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
    });
    expect(client.resource['k8s.pod.name']).toBe('frontend-6b7d9c-x2k4p');
    expect(client.attributes).toMatchObject({ 'server.port': 8443, retry: true, weights: [0.5, 2] });
    expect(client.events[0]).toEqual({
      timeUs: 1763719203012000,
      name: 'exception',
      attributes: { 'exception.message': 'connect ETIMEDOUT 10.96.14.2:8443' },
    });
  });

  it('reads v1 batches with instrumentationLibrarySpans and numeric enums', () => {
    const { spans } = parseTempoTrace(JSON.parse(fixture('tempo-trace-v1.json')));
    expect(spans[0]).toMatchObject({
      kind: 'client',
      status: { code: 'ok' },
      service: 'cart',
      parentSpanId: undefined,
    });
    expect(spans[0].scope?.name).toBe('io.opentelemetry.jdbc');
  });

  it('counts nothing and returns nothing for bodies that are not traces', () => {
    expect(parseTempoTrace(null)).toEqual({ spans: [], skipped: 0 });
    expect(parseTempoTrace({ trace: { resourceSpans: 'x' } })).toEqual({ spans: [], skipped: 0 });
    expect(parseTempoTrace({ status: 'PARTIAL', message: 'too many blocks' }).partialMessage).toBe('too many blocks');
  });
});

describe('parseTempoSearch', () => {
  it('pads stripped trace ids, splits resource from span attributes and dedupes spansets', () => {
    const parsed = parseTempoSearch(JSON.parse(fixture('tempo-search.json')));
    expect(parsed.traces).toBe(1);
    expect(parsed.skipped).toBe(2);
    expect(parsed.spans.size).toBe(1);
    expect(spanAt(parsed.spans, 0)).toMatchObject({
      traceId: TRACE,
      kind: 'client',
      status: { code: 'error', message: 'connect ETIMEDOUT 10.96.14.2:8443' },
      resource: { 'k8s.pod.name': 'frontend-6b7d9c-x2k4p', 'k8s.namespace.name': 'shop', 'service.name': 'frontend' },
      attributes: { 'server.address': 'payments.shop.svc.cluster.local', 'server.port': 8443 },
      endUs: 1763719203012345,
    });
    // Selected attributes the span lacks come back as "nil" and are not attributes.
    expect(spanAt(parsed.spans, 0).attributes).not.toHaveProperty('http.url');
  });
});

describe('clientSpanTraceQL', () => {
  it('pushes filters down and quotes values', () => {
    expect(clientSpanTraceQL({ namespace: 'shop', pod: 'a"b' })).toMatch(
      /^\{ kind = client && status = error && resource\.k8s\.namespace\.name = "shop" && resource\.k8s\.pod\.name = "a\\"b" \} \| select\(resource\.service\.name, /
    );
    expect(clientSpanTraceQL({ errorsOnly: false })).toMatch(/^\{ kind = client \}/);
  });
});

describe('TempoClient', () => {
  let upstream: LoopbackUpstream;
  afterEach(() => upstream?.close());

  it('searches with TraceQL, whole seconds and spss', async () => {
    upstream = await startLoopbackUpstream((path) =>
      path === '/api/search' ? { body: fixture('tempo-search.json') } : undefined
    );
    const tempo = new TempoClient(new UpstreamClient({ name: 'Tempo', baseUrl: upstream.url, tenant: 'team-a' }));
    const result = await tempo.searchClientSpans({
      namespace: 'shop',
      range: { fromMs: 1_000_500, toMs: 2_000_500 },
      limit: 20,
    });
    expect(result.spans.size).toBe(1);
    const query = upstream.requests[0].query;
    expect(query.get('q')).toBe(result.traceQL);
    expect([query.get('start'), query.get('end'), query.get('limit'), query.get('spss')]).toEqual([
      '1000',
      '2001',
      '20',
      '50',
    ]);
    expect(upstream.requests[0].headers['x-scope-orgid']).toBe('team-a');
  });

  it('falls back to the v1 trace API when v2 answers 404, and reports a missing trace as undefined', async () => {
    upstream = await startLoopbackUpstream((path) =>
      path === `/api/traces/${TRACE}` ? { body: fixture('tempo-trace-v1.json') } : undefined
    );
    const tempo = new TempoClient(new UpstreamClient({ name: 'Tempo', baseUrl: upstream.url }));
    const trace = await tempo.traceById(TRACE.toUpperCase());
    expect(trace?.spans[0].service).toBe('cart');
    expect(upstream.requests.map((r) => r.path)).toEqual([`/api/v2/traces/${TRACE}`, `/api/traces/${TRACE}`]);
    expect(await tempo.traceById('abc')).toBeUndefined();
    await expect(tempo.traceById('not-hex')).rejects.toThrow('is not 1 to 32 hex digits');
  });

  it('reads typed v2 tag values', async () => {
    upstream = await startLoopbackUpstream(() => ({
      body: JSON.stringify({
        tagValues: [
          { type: 'string', value: 'payments' },
          { type: 'string', value: 'cart' },
        ],
      }),
    }));
    const tempo = new TempoClient(new UpstreamClient({ name: 'Tempo', baseUrl: upstream.url }));
    expect(await tempo.tagValues('resource.service.name')).toEqual(['cart', 'payments']);
    expect(upstream.requests[0].path).toBe('/api/v2/search/tag/resource.service.name/values');
  });
});

// Answers recorded from Tempo 2.10.8 for an OpenTelemetry CLIENT span that timed out.
describe('recorded Tempo 2.10.8 answers', () => {
  it('parse into the same span through search and through trace by id', () => {
    const search = parseTempoSearch(JSON.parse(fixture('tempo-2.10.8-search-recorded.json')));
    const trace = parseTempoTrace(JSON.parse(fixture('tempo-2.10.8-trace-v2-recorded.json')));
    const fromTrace = trace.spans.find((s) => s.kind === 'client')!;
    expect(search.spans.size).toBe(1);
    const fromSearch = spanAt(search.spans, 0);
    expect(fromSearch.traceId).toBe(TRACE);
    for (const key of [
      'traceId',
      'spanId',
      'name',
      'kind',
      'startUs',
      'endUs',
      'status',
      'service',
      'resource',
    ] as const) {
      expect([key, fromSearch[key]]).toEqual([key, fromTrace[key]]);
    }
    expect(fromSearch.attributes).toEqual({
      'server.address': 'payments.shop.svc.cluster.local',
      'server.port': 8443,
      'url.full': 'http://payments.shop.svc.cluster.local:8443/charge',
    });
    expect(trace.spans.map((s) => s.parentSpanId)).toEqual([undefined, 'b7ad6b7169203331']);
  });
});
