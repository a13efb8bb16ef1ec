// The agent's HTTP API (docs/interfaces.md): recent events, topology, health and metrics over node:http.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { AgentMetrics } from '../metrics/agentMetrics';
import type { NetworkEvent } from '../../model/events';
import type { EventStore } from '../store/eventStore';
import { isLoopbackAddress, resolveBindHost } from './bindHost';
import { hostedPodsPage } from './hostedPods';
import { BadParameterError, parseEventQuery, parseTimeRange } from './queryParams';
import {
  AGENT_EVENTS_PATH,
  AGENT_TOPOLOGY_PATH,
  type AgentEventsPage,
  type AgentTopologyPage,
} from '../../model/agentApi';
import { HOSTED_PODS_PATH } from '../../model/hostedPods';
import { buildTopology } from '../../model/topology';

// Route labels of the request counter; any other path counts as "other" so a scanner cannot grow the series.
const COUNTED_ROUTES = new Set([AGENT_EVENTS_PATH, AGENT_TOPOLOGY_PATH, HOSTED_PODS_PATH, '/healthz', '/metrics']);

export interface AgentApiOptions {
  host: string;
  port: number;
  // Required unless host is loopback.
  token?: string;
  node: string;
  store: EventStore;
  metrics: AgentMetrics;
  // Extra fields for /healthz (packets seen, capture state...); any problem makes it answer 503.
  health?: () => HealthFields;
  nowUs?: () => number;
  limits?: Partial<ApiServerLimits>;
}

export interface HealthFields {
  problems?: string[];
  [field: string]: unknown;
}

// Slow or idle clients, and too many of them, cannot hold the API: node:http enforces each of these.
export interface ApiServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxHeaderBytes: number;
}

export const DEFAULT_API_LIMITS: ApiServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  maxHeaderBytes: 16 * 1024,
};

export class AgentApiServer {
  private server: Server | undefined;

  constructor(private readonly options: AgentApiOptions) {
    // An address is judged now; a name only once resolved (start).
    if (isIP(options.host) && !isLoopbackAddress(options.host) && !options.token) {
      throw notLoopback(options.host);
    }
  }

  async start(): Promise<{ host: string; port: number }> {
    const bind = await resolveBindHost(this.options.host);
    if (!bind.loopback && !this.options.token) {
      throw notLoopback(this.options.host);
    }
    const limits = { ...DEFAULT_API_LIMITS, ...this.options.limits };
    const server = createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        maxHeaderSize: limits.maxHeaderBytes,
        // How often the timeouts above are checked (node's default, 30 s, would let them run long).
        connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      },
      (req, res) => {
        res.once('finish', () => this.countRequest(req, res));
        this.route(req, res).catch((err: unknown) =>
          sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) })
        );
      }
    );
    server.maxConnections = limits.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, bind.address, () => resolve());
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
    const url = requestUrl(req.url);
    const authorized = this.authorized(req);
    // Kubelet probes carry no token: without one, /healthz says only whether capture is healthy and why not.
    if (!authorized && url?.pathname === '/healthz') {
      const { ok, problems } = this.healthFields();
      sendJson(res, ok ? 200 : 503, {
        status: ok ? 'ok' : 'unhealthy',
        ...(ok ? {} : { reason: problems.join('; ') }),
      });
      return;
    }
    if (!authorized) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendJson(res, 401, { error: 'missing or wrong bearer token' });
      return;
    }
    if (!url) {
      sendJson(res, 400, { error: 'malformed request target' });
      return;
    }
    const now = this.options.nowUs?.() ?? Date.now() * 1000;
    try {
      switch (url.pathname) {
        case AGENT_EVENTS_PATH: {
          const result = this.options.store.query(parseEventQuery(url.searchParams, now));
          const page: AgentEventsPage = { node: this.options.node, events: result.events, truncated: result.truncated };
          sendJson(res, 200, page);
          return;
        }
        case AGENT_TOPOLOGY_PATH: {
          const { fromUs, toUs } = parseTimeRange(url.searchParams, now);
          const page: AgentTopologyPage = { edges: buildTopology(this.options.store.range(fromUs, toUs)) };
          sendJson(res, 200, page);
          return;
        }
        case HOSTED_PODS_PATH: {
          // The whole window, unsorted: a pod seen on this node at any time it covers may still have events here.
          const events: NetworkEvent[] = [];
          this.options.store.forEach((e) => events.push(e));
          sendJson(res, 200, hostedPodsPage(this.options.node, events));
          return;
        }
        case '/healthz': {
          const { ok, problems, fields } = this.healthFields();
          sendJson(res, ok ? 200 : 503, {
            status: ok ? 'ok' : 'unhealthy',
            ...(ok ? {} : { reason: problems.join('; '), problems }),
            node: this.options.node,
            storedEvents: this.options.store.size,
            ...fields,
          });
          return;
        }
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

  private countRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = requestUrl(req.url)?.pathname;
    this.options.metrics.recordApiRequest(path && COUNTED_ROUTES.has(path) ? path : 'other', res.statusCode);
  }

  private healthFields(): { ok: boolean; problems: string[]; fields: Record<string, unknown> } {
    const { problems = [], ...fields } = this.options.health?.() ?? {};
    return { ok: problems.length === 0, problems, fields };
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

// The request target in origin form; "//x" is a path here, not a host (as a base-relative URL it would be one).
function requestUrl(target = '/'): URL | undefined {
  if (!target.startsWith('/')) {
    return undefined;
  }
  try {
    return new URL(`http://agent${target}`);
  } catch {
    return undefined;
  }
}

function notLoopback(host: string): Error {
  return new Error(`the agent API listens on ${host}, which is not loopback: configure api.token or api.tokenFile`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
