// The agent's HTTP API (docs/interfaces.md): recent events, topology, health and metrics over node:http.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentMetrics } from '../metrics/agentMetrics';
import type { EventStore } from '../store/eventStore';
import { BadParameterError, parseEventQuery, parseTimeRange } from './queryParams';
import { buildTopology } from '../../model/topology';

export interface AgentApiOptions {
  host: string;
  port: number;
  // Required unless host is loopback.
  token?: string;
  node: string;
  store: EventStore;
  metrics: AgentMetrics;
  // Extra fields for /healthz (packets seen, capture state...).
  health?: () => Record<string, unknown>;
  nowUs?: () => number;
}

export class AgentApiServer {
  private server: Server | undefined;

  constructor(private readonly options: AgentApiOptions) {
    if (!isLoopbackHost(options.host) && !options.token) {
      throw new Error(
        `the agent API listens on ${options.host}, which is not loopback: configure api.token or api.tokenFile`
      );
    }
  }

  async start(): Promise<{ host: string; port: number }> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) =>
        sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) })
      );
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `method ${req.method} not allowed` });
      return;
    }
    if (!this.authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendJson(res, 401, { error: 'missing or wrong bearer token' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    const now = this.options.nowUs?.() ?? Date.now() * 1000;
    try {
      switch (url.pathname) {
        case '/api/v1/events': {
          const result = this.options.store.query(parseEventQuery(url.searchParams, now));
          sendJson(res, 200, { node: this.options.node, events: result.events, truncated: result.truncated });
          return;
        }
        case '/api/v1/topology': {
          const { fromUs, toUs } = parseTimeRange(url.searchParams, now);
          sendJson(res, 200, { edges: buildTopology(this.options.store.range(fromUs, toUs)) });
          return;
        }
        case '/healthz':
          sendJson(res, 200, {
            status: 'ok',
            node: this.options.node,
            storedEvents: this.options.store.size,
            ...this.options.health?.(),
          });
          return;
        case '/metrics': {
          const { contentType, body } = await this.options.metrics.render(req.headers.accept);
          res.writeHead(200, { 'Content-Type': contentType });
          res.end(body);
          return;
        }
        default:
          sendJson(res, 404, { error: `no route ${url.pathname}` });
      }
    } catch (err) {
      if (err instanceof BadParameterError) {
        sendJson(res, 400, { error: err.message, parameter: err.parameter });
        return;
      }
      throw err;
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const token = this.options.token;
    if (!token) {
      return true;
    }
    const header = req.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
    const expected = Buffer.from(token);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
