// Many agents in one process: each a real AgentApiServer over its own EventStore and metrics, on its own loopback
// address and one shared port (as a headless Service's pods share theirs). An agent may be healthy, slow (a relay
// holds each connection before passing it to its API) or down (its address answers nothing).
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { AgentApiServer } from '../../agent/api/agentApiServer';
import { newDecodeCounters } from '../../agent/decode/packet';
import { AgentMetrics, ShedCounters } from '../../agent/metrics/agentMetrics';
import { EventStore } from '../../agent/store/eventStore';
import { TrackerStats } from '../../agent/track/trackerStats';
import type { NetworkEvent } from '../../model/events';

export type AgentHealth = 'healthy' | 'slow' | 'down';

export interface FleetAgentSpec {
  address: string;
  node: string;
  health: AgentHealth;
  events: NetworkEvent[];
}

export interface FleetAgent extends FleetAgentSpec {
  metrics?: AgentMetrics;
}

const STORE_BYTES = 64 << 20;

export class AgentFleet {
  private readonly servers: AgentApiServer[] = [];
  private readonly relays: Server[] = [];
  private readonly relayed = new Set<Socket>();
  readonly agents: FleetAgent[] = [];
  port = 0;

  // Slow agents answer `slowMs` after a connection opens.
  constructor(private readonly slowMs: number) {}

  async start(specs: FleetAgentSpec[]): Promise<void> {
    // Healthy agents first: the first one picks the port the others share.
    const ordered = [...specs].sort((a, b) => Number(a.health !== 'healthy') - Number(b.health !== 'healthy'));
    for (const spec of ordered) {
      const agent: FleetAgent = { ...spec };
      this.agents.push(agent);
      if (spec.health === 'down') {
        continue;
      }
      const store = new EventStore({ maxBytes: STORE_BYTES });
      for (const event of spec.events) {
        store.add(event);
      }
      agent.metrics = new AgentMetrics({
        tracker: new TrackerStats(),
        decode: newDecodeCounters(),
        shed: new ShedCounters(),
        store,
      });
      const port = spec.health === 'slow' ? 0 : this.port;
      const api = new AgentApiServer({ host: spec.address, port, node: spec.node, store, metrics: agent.metrics });
      this.servers.push(api);
      const bound = await api.start();
      if (spec.health === 'slow') {
        await this.startSlowRelay(spec.address, bound.port);
      } else if (this.port === 0) {
        this.port = bound.port;
      }
    }
  }

  // Requests each agent's API counted, by route: read from its own wiretrace_api_requests_total.
  async requestCounts(): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    for (const agent of this.agents) {
      const counts: Record<string, number> = {};
      const metric = agent.metrics?.prometheus.getSingleMetric('wiretrace_api_requests_total');
      for (const v of metric ? (await metric.get()).values : []) {
        const path = String(v.labels.path);
        counts[path] = (counts[path] ?? 0) + v.value;
      }
      out.set(agent.address, counts);
    }
    return out;
  }

  async stop(): Promise<void> {
    for (const socket of this.relayed) {
      socket.destroy();
    }
    await Promise.all([
      ...this.servers.map((s) => s.stop()),
      ...this.relays.map((r) => new Promise((resolve) => r.close(resolve))),
    ]);
  }

  private async startSlowRelay(address: string, apiPort: number): Promise<void> {
    if (this.port === 0) {
      throw new Error('a slow agent needs a healthy one first (the shared port)');
    }
    const relay = createServer((client) => {
      this.relayed.add(client);
      client.on('error', () => client.destroy());
      client.once('close', () => this.relayed.delete(client));
      const timer = setTimeout(() => {
        const api = createConnection({ host: address, port: apiPort });
        this.relayed.add(api);
        api.once('close', () => (this.relayed.delete(api), client.destroy()));
        api.on('error', () => api.destroy());
        client.once('close', () => api.destroy());
        client.pipe(api).pipe(client);
      }, this.slowMs);
      client.once('close', () => clearTimeout(timer));
    });
    this.relays.push(relay);
    await new Promise<void>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(this.port, address, () => resolve());
    });
  }
}
