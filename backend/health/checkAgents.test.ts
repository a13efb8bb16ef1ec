import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentRoster } from '../clients/agentRoster';
import type { DatasourceSettings } from '../datasource/types';
import { checkAgents } from './checkAgents';

describe('checkAgents', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r))))));

  it('lists every agent a Service name expands to, its node, and which did not answer', async () => {
    // Two agents answer on 127.0.0.2 and .3; nothing listens on .4 (its pod is gone, its record not yet).
    let port = 0;
    for (const address of ['127.0.0.2', '127.0.0.3']) {
      const server = createServer((_req, res) =>
        res.end(JSON.stringify({ status: 'ok', node: `node-${address.slice(-1)}` }))
      );
      await new Promise<void>((resolve) => server.listen(port, address, resolve));
      port = (server.address() as AddressInfo).port;
      servers.push(server);
    }
    const settings: DatasourceSettings = {
      uid: 'u',
      name: 'n',
      jsonData: { agentUrls: [`http://wiretrace-agent.wiretrace.svc:${port}`] },
      secure: {},
    };
    const roster = new AgentRoster(settings, {
      resolve: async () => ({ addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] }),
    });
    const health = await checkAgents(settings, new AbortController().signal, roster);
    expect(health.agents).toEqual([
      expect.objectContaining({ url: `http://127.0.0.2:${port}`, node: 'node-2', answered: true, message: 'OK' }),
      expect.objectContaining({ url: `http://127.0.0.3:${port}`, node: 'node-3', answered: true }),
      expect.objectContaining({
        url: `http://127.0.0.4:${port}`,
        answered: false,
        message: expect.stringMatching(/ECONNREFUSED/),
      }),
    ]);
    expect(health.upstreams).toEqual([
      expect.objectContaining({
        name: `agents at http://wiretrace-agent.wiretrace.svc:${port}`,
        state: 'ok',
        message: expect.stringMatching(
          /^3 agents found, 2 answered: node-2, node-3; not answering: http:\/\/127\.0\.0\.4/
        ),
      }),
    ]);
  });
});
