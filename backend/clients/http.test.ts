import { QueryError } from '../datasource/types';
import { UpstreamClient } from './http';
import { ConcurrencyLimiter } from './limiter';
import { startTestServer, type TestServer } from '../testkit/testServer';

const SECRET = 'tok-9d1f3a7c2b';

describe('UpstreamClient', () => {
  let server: TestServer;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            auth: req.headers.authorization ?? null,
            tenant: req.headers['x-scope-orgid'] ?? null,
            q: url.search,
          })
        );
      } else if (url.pathname === '/denied') {
        res.statusCode = 401;
        res.end(`bad credentials: ${req.headers.authorization}`);
      } else if (url.pathname === '/echo-late') {
        // The header lands across the excerpt's cut, raw and as Go's encoding/json writes it.
        const auth = req.headers.authorization ?? '';
        const goJson = JSON.stringify(auth).replace(/</g, '\\u003c').replace(/&/g, '\\u0026');
        res.statusCode = 403;
        res.end(`${'.'.repeat(Number(url.searchParams.get('pad')))}${auth} ${goJson}`);
      } else if (url.pathname === '/boom') {
        res.statusCode = 500;
        res.end('internal');
      } else if (url.pathname === '/counted') {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          res.end('{}');
        }, 30);
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.end('{}'), Number(url.searchParams.get('ms') ?? 200));
      } else if (url.pathname === '/notjson') {
        res.end('<html>');
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
  });

  afterAll(() => server.close());

  it('sends bearer auth, the tenant header and query parameters', async () => {
    const client = new UpstreamClient({
      name: 'Tempo',
      baseUrl: server.url + '/',
      credentials: { kind: 'bearer', token: SECRET },
      tenant: 'team-a',
    });
    const body = await client.getJson<{ auth: string; tenant: string; q: string }>('/echo', {
      query: { a: 1, b: ['x', 'y'], skip: undefined },
    });
    expect(body).toEqual({ auth: `Bearer ${SECRET}`, tenant: 'team-a', q: '?a=1&b=x&b=y' });
  });

  it('sends basic auth', async () => {
    const client = new UpstreamClient({
      name: 'Loki',
      baseUrl: server.url,
      credentials: { kind: 'basic', user: 'u', password: 'p' },
    });
    const body = await client.getJson<{ auth: string }>('/echo');
    expect(body.auth).toBe('Basic ' + Buffer.from('u:p').toString('base64'));
  });

  it('names the upstream on a rejected credential and never repeats the secret it echoed', async () => {
    const client = new UpstreamClient({
      name: 'Tempo',
      baseUrl: server.url,
      credentials: { kind: 'bearer', token: SECRET },
    });
    const err = await client.request('/denied').catch((e) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect(err).toMatchObject({ status: 401, source: 'downstream' });
    expect(err.message).toContain('Tempo rejected the credentials for /denied');
    expect(err.message).not.toContain(SECRET);
  });

  it('masks an echoed credential before cutting the excerpt, in raw and JSON-escaped forms', async () => {
    const basic = new UpstreamClient({
      name: 'Tempo',
      baseUrl: server.url,
      credentials: { kind: 'basic', user: 'admin', password: 'TempoPass-SECRET-0<&' },
    });
    const bearer = new UpstreamClient({
      name: 'Loki',
      baseUrl: server.url,
      credentials: { kind: 'bearer', token: `${SECRET}<&-0123456789` },
    });
    const userPass = Buffer.from('admin:TempoPass-SECRET-0<&').toString('base64');
    for (const pad of [0, 270, 285, 295]) {
      for (const client of [basic, bearer]) {
        const err = await client.request('/echo-late', { query: { pad } }).catch((e: Error) => e);
        expect((err as Error).message).toContain('rejected the credentials');
        expect((err as Error).message).not.toMatch(/SECRET|9d1f3a7c|u003c|<&/);
        expect((err as Error).message).not.toContain(userPass.slice(0, 8));
      }
    }
  });

  it('maps upstream 5xx to 502 and unreachable hosts to 502 naming the address', async () => {
    const client = new UpstreamClient({ name: 'Loki', baseUrl: server.url });
    await expect(client.request('/boom')).rejects.toMatchObject({
      status: 502,
      message: 'Loki answered HTTP 500 for /boom: internal',
    });
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const dead = new UpstreamClient({ name: 'agent', baseUrl: closed.url });
    const err = await dead.request('/healthz').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, source: 'downstream' });
    expect((err as Error).message).toBe(
      `agent unreachable at ${closed.url}: ECONNREFUSED connect ECONNREFUSED ${closed.url.slice(7)}`
    );
  });

  it('times out with 504 and reports a caller cancellation as 499', async () => {
    const client = new UpstreamClient({ name: 'Tempo', baseUrl: server.url, timeoutMs: 50 });
    await expect(client.request('/slow', { query: { ms: 500 } })).rejects.toMatchObject({ status: 504 });
    const controller = new AbortController();
    const patient = new UpstreamClient({ name: 'Tempo', baseUrl: server.url });
    const pending = patient.request('/slow', { query: { ms: 500 }, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ status: 499, message: 'request to Tempo cancelled' });
  });

  it('reports invalid JSON as a downstream error', async () => {
    const client = new UpstreamClient({ name: 'Loki', baseUrl: server.url });
    await expect(client.getJson('/notjson')).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('invalid JSON from /notjson'),
    });
  });

  it('returns accepted non-2xx statuses to the caller', async () => {
    const client = new UpstreamClient({ name: 'Tempo', baseUrl: server.url });
    await expect(client.request('/missing', { acceptStatus: [404] })).resolves.toMatchObject({ status: 404 });
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => new UpstreamClient({ name: 'Tempo', baseUrl: 'file:///etc/passwd' })).toThrow(
      'Tempo URL must be http or https'
    );
  });

  it('bounds concurrent requests with a shared limiter', async () => {
    maxInFlight = 0;
    const limiter = new ConcurrencyLimiter(2);
    const client = new UpstreamClient({ name: 'agent', baseUrl: server.url, limiter });
    await Promise.all(Array.from({ length: 6 }, () => client.request('/counted')));
    expect(maxInFlight).toBe(2);
  });
});
