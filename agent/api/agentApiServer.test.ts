import { connect, type Socket } from 'node:net';
import type { NetworkEvent } from '../../model/events';
import { newDecodeCounters } from '../decode/packet';
import { AgentMetrics, ShedCounters } from '../metrics/agentMetrics';
import { EventStore } from '../store/eventStore';
import { TrackerStats } from '../track/trackerStats';
import { AgentApiServer, type AgentApiOptions } from './agentApiServer';

interface EventsBody {
  node: string;
  events: NetworkEvent[];
  truncated: boolean;
}

async function getJson<T>(url: string): Promise<T> {
  return (await fetch(url)).json() as Promise<T>;
}

const T0 = Date.parse('2026-01-01T00:00:00Z') * 1000;

function event(kind: NetworkEvent['kind'], offsetUs: number, extra: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    kind,
    time: T0 + offsetUs,
    transport: 'tcp',
    src: { ip: '10.244.1.2', port: 40000, pod: 'client', namespace: 'shop' },
    dst: { ip: '10.244.1.3', port: 8080, pod: 'server', namespace: 'shop' },
    source: 'pcap',
    ...extra,
  };
}

async function startApi(host = '127.0.0.1', token?: string, extra: Partial<AgentApiOptions> = {}) {
  const store = new EventStore({ maxBytes: 1 << 20 });
  const metrics = new AgentMetrics({
    tracker: new TrackerStats(),
    decode: newDecodeCounters(),
    shed: new ShedCounters(),
    store,
  });
  const api = new AgentApiServer({
    host,
    port: 0,
    token,
    node: 'node-a',
    store,
    metrics,
    nowUs: () => T0 + 10_000_000,
    ...extra,
  });
  const { port } = await api.start();
  return { api, store, port, base: `http://127.0.0.1:${port}` };
}

describe('AgentApiServer', () => {
  it('serves events filtered by kind, pod and trace id, in time order', async () => {
    const { api, store, base } = await startApi();
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      store.add(event('http', 2000, { traceId, http: { method: 'GET', path: '/', status: 200, requestHeaders: {} } }));
      store.add(event('drop', 1000, { drop: { reason: 'unanswered_syn', verdict: 'dropped', attempts: 3 } }));
      store.add(
        event('flow', 3000, {
          flow: {
            state: 'closed',
            toServer: { bytes: 1, packets: 1 },
            toClient: { bytes: 1, packets: 1 },
            tcp: { handshakeRttUs: 80, retransmits: 2, zeroWindow: 0, lifecycle: 31 },
          },
        })
      );
      const all = await getJson<EventsBody>(`${base}/api/v1/events`);
      expect(all.node).toBe('node-a');
      expect(all.truncated).toBe(false);
      expect(all.events.map((e: NetworkEvent) => e.kind)).toEqual(['drop', 'http', 'flow']);
      const drops = await getJson<EventsBody>(`${base}/api/v1/events?kind=drop,reset&pod=client`);
      expect(drops.events).toHaveLength(1);
      const byTrace = await getJson<EventsBody>(`${base}/api/v1/events?traceId=${traceId.toUpperCase()}`);
      expect(byTrace.events.map((e: NetworkEvent) => e.kind)).toEqual(['http']);
      const limited = await getJson<EventsBody>(
        `${base}/api/v1/events?limit=1&from=${T0 * 1000}&to=2026-01-01T00:00:01Z`
      );
      expect(limited).toMatchObject({ truncated: true, events: [{ kind: 'flow' }] });
      const topo = await getJson<{ edges: unknown[] }>(`${base}/api/v1/topology`);
      expect(topo.edges).toEqual([
        expect.objectContaining({
          src: { ip: '10.244.1.2', pod: 'client', namespace: 'shop' },
          flows: 1,
          requests: 1,
          drops: 1,
          retransmits: 2,
          rttP95Us: 80,
        }),
      ]);
      const health = await getJson<Record<string, unknown>>(`${base}/healthz`);
      expect(health).toMatchObject({ status: 'ok', storedEvents: 3 });
    } finally {
      await api.stop();
    }
  });

  it('lists the pods its node hosts and counts requests by route and status', async () => {
    const { api, store, base } = await startApi();
    try {
      store.add(
        event('flow', 1000, {
          src: { ip: '10.244.1.2', port: 40000, pod: 'client', namespace: 'shop', node: 'node-a' },
          dst: { ip: '10.244.2.3', port: 8080, pod: 'server', namespace: 'shop', node: 'node-b' },
        })
      );
      const pods = await getJson<Record<string, unknown>>(`${base}/api/v1/pods`);
      expect(pods).toEqual({ node: 'node-a', pods: [{ namespace: 'shop', name: 'client' }], podsWithoutNode: 0 });
      await fetch(`${base}/api/v1/events?limit=0`);
      await fetch(`${base}/no/such/route`);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('wiretrace_api_requests_total{path="/api/v1/pods",code="200"} 1');
      expect(text).toContain('wiretrace_api_requests_total{path="/api/v1/events",code="400"} 1');
      expect(text).toContain('wiretrace_api_requests_total{path="other",code="404"} 1');
    } finally {
      await api.stop();
    }
  });

  it('answers 400 naming the bad parameter', async () => {
    const { api, base } = await startApi();
    try {
      for (const [query, parameter] of [
        ['kind=bogus', 'kind'],
        ['from=yesterday', 'from'],
        ['limit=0', 'limit'],
        ['traceId=xyz', 'traceId'],
        ['colour=red', 'colour'],
      ]) {
        const res = await fetch(`${base}/api/v1/events?${query}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
      }
    } finally {
      await api.stop();
    }
  });

  it('serves Prometheus text, or OpenMetrics when asked', async () => {
    const { api, base } = await startApi();
    try {
      const text = await fetch(`${base}/metrics`);
      expect(text.headers.get('content-type')).toContain('text/plain');
      expect(await text.text()).toContain('wiretrace_tcp_retransmits_total');
      const om = await fetch(`${base}/metrics`, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
      expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    } finally {
      await api.stop();
    }
  });

  it('requires the bearer token when not bound to loopback, and refuses to start without one', async () => {
    expect(
      () =>
        new AgentApiServer({
          host: '0.0.0.0',
          port: 0,
          node: 'n',
          store: new EventStore({ maxBytes: 1 }),
          metrics: {} as AgentMetrics,
        })
    ).toThrow(/api.token/);
    const { api, base } = await startApi('0.0.0.0', 'tok3n');
    try {
      expect((await fetch(`${base}/api/v1/events`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      const full = await fetch(`${base}/healthz`, { headers: { Authorization: 'Bearer tok3n' } });
      expect(await full.json()).toMatchObject({ status: 'ok', node: 'node-a', storedEvents: 0 });
      // A probe without the token learns only the status.
      const probe = await fetch(`${base}/healthz`);
      expect(probe.status).toBe(200);
      expect(await probe.json()).toEqual({ status: 'ok' });
    } finally {
      await api.stop();
    }
  });

  it('answers 503 with the reason when capture is not healthy', async () => {
    let problems: string[] = [];
    const { api, base } = await startApi('127.0.0.1', undefined, { health: () => ({ problems, packets: 5 }) });
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      problems = ['live capture stopped: the frame stream ended'];
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'unhealthy',
        reason: 'live capture stopped: the frame stream ended',
        packets: 5,
      });
    } finally {
      await api.stop();
    }
  });

  it('decides loopback on what the host resolves to, not on its spelling', async () => {
    const { api, port } = await startApi('localhost');
    await api.stop();
    expect(port).toBeGreaterThan(0);
    const named = new AgentApiServer({
      host: '127.evil.example',
      port: 0,
      node: 'n',
      store: new EventStore({ maxBytes: 1 }),
      metrics: {} as AgentMetrics,
    });
    await expect(named.start()).rejects.toThrow(/127\.evil\.example (does not resolve|.*not loopback)/);
  });

  it('caps query parameters before reading them', async () => {
    const { api, base } = await startApi();
    try {
      const long = await fetch(`${base}/api/v1/events?pod=${'p'.repeat(600)}`);
      expect(long.status).toBe(400);
      expect(await long.json()).toMatchObject({ parameter: 'pod' });
      const many = await fetch(`${base}/api/v1/events?${Array.from({ length: 40 }, (_, i) => `pod=${i}`).join('&')}`);
      expect(many.status).toBe(400);
      const name = await fetch(`${base}/api/v1/events?${'x'.repeat(1000)}=1`);
      expect(name.status).toBe(400);
      expect(JSON.stringify(await name.json()).length).toBeLessThan(400);
      expect((await fetch(`${base}/api/v1/topology?from=${'9'.repeat(400)}`)).status).toBe(400);
      expect((await fetch(`${base}//`)).status).toBe(404);
      expect((await fetch(`${base}//api/v1/events`)).status).toBe(404);
    } finally {
      await api.stop();
    }
  });

  it('closes a connection whose headers never finish, and refuses connections past the cap', async () => {
    const { api, port } = await startApi('127.0.0.1', undefined, {
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 2 },
    });
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    const closed = (s: Socket): Promise<string> =>
      new Promise((resolve) => {
        let data = '';
        s.on('data', (d: Buffer) => (data += d.toString()));
        s.on('error', () => undefined);
        s.on('close', () => resolve(data));
      });
    try {
      const slow = await open();
      const slowClosed = closed(slow);
      slow.write('GET /healthz HTTP/1.1\r\nHost: agent\r\n');
      const held = await open();
      const third = await open();
      // The third connection is over the cap: closed without an answer, while the others are still open.
      expect(await closed(third)).toBe('');
      expect(held.destroyed).toBe(false);
      // The slow client is cut off by the header timeout.
      expect(await slowClosed).toMatch(/^HTTP\/1\.1 408/);
      held.destroy();
    } finally {
      await api.stop();
    }
  });
});
