import { startTestServer, type TestServer } from '../testkit/testServer';
import type { DatasourceSettings } from '../datasource/types';
import { DatasourceInstance } from '../instance/datasourceInstance';
import { checkUpstreams } from './checkUpstreams';

const TOKEN = 'tempo-tok-5b8e1d';

describe('checkUpstreams', () => {
  let tempo: TestServer;
  let loki: TestServer;
  let agent: TestServer;

  beforeAll(async () => {
    tempo = await startTestServer((req, res) => {
      if (req.url === '/ready') {
        res.end('ready');
      } else if (req.url === '/api/status/buildinfo' && req.headers.authorization === `Bearer ${TOKEN}`) {
        res.end('{"version":"2.6.1"}');
      } else {
        res.statusCode = 401;
        res.end('no');
      }
    });
    loki = await startTestServer((req, res) => {
      res.statusCode = req.url === '/ready' ? 503 : 200;
      res.end(req.url === '/ready' ? 'Ingester not ready: waiting for 15s after being ready' : '{"version":"3.4.2"}');
    });
    agent = await startTestServer((_req, res) => res.end('{"status":"ok"}'));
  });

  afterAll(async () => Promise.all([tempo.close(), loki.close(), agent.close()]));

  const instance = (jsonData: DatasourceSettings['jsonData'], secure = {}) =>
    new DatasourceInstance({ uid: 'u', name: 'n', jsonData, secure });
  const signal = () => new AbortController().signal;

  it('is OK only when every configured upstream is OK, with versions', async () => {
    const r = await checkUpstreams(
      instance({ tempo: { url: tempo.url, auth: 'bearer' }, agentUrls: [agent.url] }, { tempoToken: TOKEN }),
      signal()
    );
    expect(r.status).toBe('OK');
    expect(r.message).toBe(`All 2 upstreams OK. Tempo: OK (version 2.6.1). agent ${agent.url}: OK`);
    expect(r.details.upstreams).toEqual([
      expect.objectContaining({ name: 'Tempo', state: 'ok', version: '2.6.1', authAccepted: true }),
      expect.objectContaining({ state: 'ok', reachable: true }),
    ]);
  });

  it('reports rejected auth, a not-ready upstream and keeps checking the others', async () => {
    const r = await checkUpstreams(
      instance(
        { tempo: { url: tempo.url, auth: 'bearer' }, loki: { url: loki.url }, agentUrls: [agent.url] },
        { tempoToken: 'wrong-token-1234' }
      ),
      signal()
    );
    expect(r.status).toBe('ERROR');
    expect(r.message).toContain('2 of 3 upstreams failing');
    expect(r.message).toContain('Tempo: auth rejected (HTTP 401 on /api/status/buildinfo)');
    expect(r.message).toContain('Loki: not ready: Loki answered HTTP 503 for /ready: Ingester not ready');
    expect(r.details).toMatchObject({ message: 'Upstreams' });
    expect(String(r.details.verboseMessage).split('\n')).toEqual([
      '✗ Tempo: auth rejected (HTTP 401 on /api/status/buildinfo)',
      expect.stringMatching(/^✗ Loki: not ready: Loki answered HTTP 503/),
      `✓ agent ${agent.url}: OK`,
    ]);
    expect(JSON.stringify(r)).not.toContain('wrong-token-1234');
  });

  it('says so when nothing is configured', async () => {
    const r = await checkUpstreams(instance({}), signal());
    expect(r).toMatchObject({ status: 'ERROR', message: expect.stringContaining('No upstream configured') });
  });
});
