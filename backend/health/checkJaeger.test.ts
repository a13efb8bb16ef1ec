import { startTestServer, type TestServer } from '../testkit/testServer';
import { startFakeJaegerGrpc, type FakeJaegerGrpc } from '../testkit/jaeger/fakeJaegerGrpc';
import type { DatasourceSettings } from '../datasource/types';
import { DatasourceInstance } from '../instance/datasourceInstance';
import { checkUpstreams } from './checkUpstreams';

const TOKEN = 'jaeger-tok-0d4c2b';

describe('checkUpstreams with Jaeger', () => {
  let http: TestServer;
  let grpc: FakeJaegerGrpc;

  beforeAll(async () => {
    http = await startTestServer((req, res) => {
      const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
      res.statusCode = req.url === '/api/v3/services' && authorized ? 200 : 401;
      res.end(authorized ? '{"services":["frontend"]}' : 'unauthorized');
    });
    grpc = await startFakeJaegerGrpc(() => ({ chunks: [] }), ['checkout', 'frontend']);
  });
  afterAll(async () => Promise.all([http.close(), grpc.close()]));

  const instance = (jsonData: DatasourceSettings['jsonData'], token = TOKEN) =>
    new DatasourceInstance({ uid: 'u', name: 'n', jsonData, secure: { jaegerToken: token } });
  const signal = () => new AbortController().signal;

  it('checks the HTTP API and the gRPC search port, each with the credentials', async () => {
    const r = await checkUpstreams(
      instance({ traceStore: 'jaeger', jaeger: { url: http.url, grpcUrl: grpc.url, auth: 'bearer' } }),
      signal()
    );
    expect(r.status).toBe('OK');
    expect(r.details.upstreams).toEqual([
      expect.objectContaining({ name: 'Jaeger', state: 'ok', authAccepted: true }),
      expect.objectContaining({ name: 'Jaeger gRPC', state: 'ok', message: 'OK (2 services)' }),
    ]);
    expect(grpc.calls[grpc.calls.length - 1]).toMatchObject({
      method: 'GetServices',
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it('names rejected credentials, a closed gRPC port and a store chosen without a URL', async () => {
    const closed = await startFakeJaegerGrpc(() => ({ chunks: [] }));
    await closed.close();
    const r = await checkUpstreams(
      instance({ jaeger: { url: http.url, grpcUrl: closed.url, auth: 'bearer' } }, 'wrong-token-77aa'),
      signal()
    );
    expect(r.status).toBe('ERROR');
    expect(r.details.upstreams).toEqual([
      expect.objectContaining({ name: 'Jaeger', state: 'auth_rejected' }),
      expect.objectContaining({ name: 'Jaeger gRPC', state: 'unreachable', reachable: false }),
    ]);
    expect(JSON.stringify(r)).not.toContain('wrong-token-77aa');
    const unset = await checkUpstreams(instance({ traceStore: 'jaeger', agentUrls: [] }), signal());
    expect(unset.message).toContain('Jaeger is the trace store but jsonData.jaeger.url is empty');
  });
});
