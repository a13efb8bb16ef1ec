import type { NetworkEvent } from '../../model/events';
import { newDecodeCounters } from '../decode/packet';
import { AgentMetrics, ShedCounters } from '../metrics/agentMetrics';
import { EventStore } from '../store/eventStore';
import { TrackerStats } from '../track/trackerStats';
import { AgentApiServer } from './agentApiServer';

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

async function startApi(host = '127.0.0.1', token?: string) {
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
  });
  const { port } = await api.start();
  return { api, store, base: `http://127.0.0.1:${port}` };
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
      expect((await fetch(`${base}/healthz`)).status).toBe(401);
      expect((await fetch(`${base}/healthz`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${base}/healthz`, { headers: { Authorization: 'Bearer tok3n' } })).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});
