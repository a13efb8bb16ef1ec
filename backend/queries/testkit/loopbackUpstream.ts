// A loopback HTTP server that answers like an upstream from canned bodies, for client tests.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedResponse {
  status?: number;
  body: string;
  delayMs?: number;
}

export interface LoopbackUpstream {
  url: string;
  requests: Array<{ path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

export async function startLoopbackUpstream(
  answer: (path: string, query: URLSearchParams) => CannedResponse | undefined
): Promise<LoopbackUpstream> {
  const requests: LoopbackUpstream['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const canned = answer(url.pathname, url.searchParams) ?? { status: 404, body: 'not found' };
    const send = () => {
      res.writeHead(canned.status ?? 200, { 'Content-Type': 'application/json' });
      res.end(canned.body);
    };
    if (canned.delayMs) {
      setTimeout(send, canned.delayMs);
    } else {
      send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
