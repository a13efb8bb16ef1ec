import type { DatasourceSettings } from '../datasource/types';
import { startTestServer } from '../testkit/testServer';
import { MAX_RESOURCE_BODY_BYTES, routeResource } from './routes';

const settings: DatasourceSettings = { uid: 'u', name: 'n', jsonData: {}, secure: {} };
const request = (path: string, method = 'GET') => ({
  path,
  method,
  url: `/${path}`,
  headers: {},
  body: new Uint8Array(),
});
const body = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString());

describe('routeResource', () => {
  it('answers unknown paths with a 404 JSON listing the routes', async () => {
    const r = await routeResource(settings, request('nodes'), new AbortController().signal);
    expect(r.status).toBe(404);
    expect(r.headers['Content-Type']).toEqual(['application/json']);
    expect(body(r.body)).toEqual({
      error: 'unknown resource "nodes"',
      routes: ['namespaces', 'pods', 'services', 'policies'],
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers %s with a 404, never a member of Object.prototype',
    async (path) => {
      const r = await routeResource(settings, request(path), new AbortController().signal);
      expect(r.status).toBe(404);
      expect(body(r.body).error).toBe(`unknown resource "${path}"`);
    }
  );

  it('answers a path naming no resource with a 404 that says so', async () => {
    for (const path of ['//', '/', '', '//?namespace=x']) {
      const r = await routeResource(settings, { ...request(path), url: path || '//' }, new AbortController().signal);
      expect(r.status).toBe(404);
      expect(body(r.body).error).toBe('no resource named in the path');
    }
  });

  it('echoes at most a prefix of a huge unknown path and refuses oversized ones and bodies', async () => {
    const long = await routeResource(settings, request('x'.repeat(2000)), new AbortController().signal);
    expect(long.status).toBe(404);
    expect(long.body.byteLength).toBeLessThan(400);
    expect(body(long.body).error).toContain('(2000 characters)');
    const huge = await routeResource(settings, request('x'.repeat(50 * 1024 * 1024)), new AbortController().signal);
    expect(huge.status).toBe(414);
    expect(huge.body.byteLength).toBeLessThan(200);
    const filter = { ...request('pods'), url: `/pods?namespace=${'n'.repeat(1 << 20)}` };
    const bigFilter = await routeResource(settings, filter, new AbortController().signal);
    expect(bigFilter.status).toBe(414);
    expect(body(bigFilter.body).error).toBe(`resource URL is ${filter.url.length} characters; at most 2048`);
    const post = { ...request('pods', 'POST'), body: new Uint8Array(MAX_RESOURCE_BODY_BYTES + 1) };
    const big = await routeResource(settings, post, new AbortController().signal);
    expect(big.status).toBe(413);
    expect(body(big.body).error).toBe(
      `resource request body is ${MAX_RESOURCE_BODY_BYTES + 1} bytes; at most ${MAX_RESOURCE_BODY_BYTES}`
    );
  });

  it('says plainly that the agents refused the token, without a 401 that would end the user session', async () => {
    const agent = await startTestServer((_req, res) => {
      res.statusCode = 401;
      res.end('{"error":"unauthorized"}');
    });
    try {
      const withAgent = { ...settings, jsonData: { agentUrls: [agent.url] }, secure: { agentToken: 'wrong-token' } };
      const err = await routeResource(withAgent, request('pods'), new AbortController().signal).catch((e) => e);
      expect(err).toMatchObject({ status: 403 });
      expect(err.message).toMatch(/^capture agents rejected the agent token \(secureJsonData.agentToken/);
    } finally {
      await agent.close();
    }
  });

  it('answers GET only', async () => {
    expect((await routeResource(settings, request('pods', 'POST'), new AbortController().signal)).status).toBe(405);
  });

  it('answers an empty list with a warning when no agent is configured', async () => {
    const r = await routeResource(settings, request('pods?namespace=shop'), new AbortController().signal);
    expect(body(r.body)).toEqual({ pods: [], warnings: ['no capture agents configured'] });
  });
});
