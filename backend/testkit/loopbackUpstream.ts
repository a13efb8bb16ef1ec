// A loopback HTTP server that answers like an upstream from canned bodies, for client tests.
import type { IncomingMessage } from 'node:http';
import { startTestServer } from './testServer';

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
  const server = await startTestServer((req, res) => {
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
  return { url: server.url, requests, close: server.close };
}
