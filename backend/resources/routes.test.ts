import type { DatasourceSettings } from '../datasource/types';
import { routeResource } from './routes';

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

  it('answers GET only', async () => {
    expect((await routeResource(settings, request('pods', 'POST'), new AbortController().signal)).status).toBe(405);
  });

  it('answers an empty list with a warning when no agent is configured', async () => {
    const r = await routeResource(settings, request('pods?namespace=shop'), new AbortController().signal);
    expect(body(r.body)).toEqual({ pods: [], warnings: ['no capture agents configured'] });
  });
});
