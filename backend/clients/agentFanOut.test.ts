import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatasourceSettings } from '../datasource/types';
import { fanOutToAgents } from './agentFanOut';
import { AGENT_REST_MS, AgentRoster } from './agentRoster';
import { missingAgentsNotice } from './agentNotices';

// Agents on 127.0.0.2, .3, ... sharing one port, as a headless Service's pods share theirs.
interface LoopbackAgent {
  address: string;
  requests: string[];
  server: Server;
}

type Answer = (agent: LoopbackAgent, req: IncomingMessage, res: ServerResponse) => void;

async function startAgents(count: number, answer: Answer): Promise<{ port: number; agents: LoopbackAgent[] }> {
  const agents: LoopbackAgent[] = [];
  let port = 0;
  for (let i = 0; i < count; i++) {
    const agent: LoopbackAgent = { address: `127.0.0.${i + 2}`, requests: [], server: undefined as unknown as Server };
    agent.server = createServer((req, res) => {
      agent.requests.push(new URL(req.url ?? '/', 'http://x').pathname);
      answer(agent, req, res);
    });
    await new Promise<void>((resolve) => agent.server.listen(port, agent.address, resolve));
    port = (agent.server.address() as AddressInfo).port;
    agents.push(agent);
  }
  return { port, agents };
}

function stop(agents: LoopbackAgent[]): Promise<unknown> {
  return Promise.all(
    agents.map((a) => new Promise((resolve) => (a.server.closeAllConnections(), a.server.close(resolve))))
  );
}

const nodeOf = (a: LoopbackAgent) => `node-${a.address.split('.')[3]}`;

function settings(port: number, extra: Partial<DatasourceSettings['jsonData']> = {}): DatasourceSettings {
  return { uid: 'u', name: 'n', jsonData: { agentUrls: [`http://agents.test:${port}`], ...extra }, secure: {} };
}

function rosterFor(s: DatasourceSettings, agents: LoopbackAgent[]): AgentRoster {
  return new AgentRoster(s, { resolve: async () => ({ addresses: agents.map((a) => a.address), ttlMs: 5000 }) });
}

describe('fanOutToAgents', () => {
  it('asks every agent behind the name, at most agentConcurrency at once, and keeps the node each reports', async () => {
    let inFlight = 0;
    let peak = 0;
    const { port, agents } = await startAgents(6, (agent, _req, res) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end(JSON.stringify({ node: nodeOf(agent), events: [], truncated: false }));
      }, 50);
    });
    try {
      const s = settings(port, { agentConcurrency: 2 });
      const roster = rosterFor(s, agents);
      const fan = await fanOutToAgents(roster, s, async (client, signal) => {
        const page = await client.getJson<{ node: string }>('/api/v1/events', { signal });
        return page.node;
      });
      expect(fan.answers.map((a) => a.value).sort()).toEqual(agents.map(nodeOf).sort());
      expect(fan).toMatchObject({ discovered: 6, asked: 6, failures: [] });
      expect(peak).toBe(2);
    } finally {
      await stop(agents);
    }
  });

  it('never waits on a hung agent beyond the agent timeout, and names it', async () => {
    const hung = '127.0.0.3';
    const { port, agents } = await startAgents(3, (agent, _req, res) => {
      if (agent.address !== hung) {
        res.end(JSON.stringify({ node: nodeOf(agent), pods: [], podsWithoutNode: 0 }));
      }
    });
    try {
      const s = settings(port, { agentTimeoutMs: 400 });
      const roster = rosterFor(s, agents);
      roster.rememberNode(`http://${hung}:${port}`, 'node-3');
      const started = Date.now();
      const fan = await fanOutToAgents(roster, s, (client, signal) => client.getJson('/api/v1/pods', { signal }));
      const took = Date.now() - started;
      expect(fan.answers).toHaveLength(2);
      expect(fan.failures).toEqual([
        { agent: `http://${hung}:${port}`, node: 'node-3', status: 504, message: 'did not answer within 400 ms' },
      ]);
      // Generous for a busy machine, yet far below what waiting for the hung agent would take.
      expect(took).toBeLessThan(3000);
      const notice = missingAgentsNotice(fan.failures, fan.asked, true)!;
      expect(notice.text).toBe(
        `Partial results: 1 of 3 capture agents did not answer, their nodes’ events come only from what Loki holds: ` +
          `node node-3 (http://${hung}:${port}): did not answer within 400 ms`
      );
    } finally {
      await stop(agents);
    }
  });

  it('rests an agent that ran to the timeout (named, not asked) until its rest is over; a refusal is not a timeout', async () => {
    const hung = '127.0.0.3';
    const down = '127.0.0.9';
    const { port, agents } = await startAgents(2, (agent, _req, res) => {
      if (agent.address !== hung) {
        res.end(JSON.stringify({ node: nodeOf(agent), events: [] }));
      }
    });
    let clock = 1_000_000;
    try {
      const s = settings(port, { agentTimeoutMs: 400 });
      const addresses = [...agents.map((a) => a.address), down];
      const roster = new AgentRoster(s, { resolve: async () => ({ addresses, ttlMs: 60_000 }), now: () => clock });
      const ask = () => fanOutToAgents(roster, s, (client, signal) => client.getJson('/api/v1/events', { signal }));
      const statuses = (fan: Awaited<ReturnType<typeof ask>>) =>
        Object.fromEntries(fan.failures.map((f) => [new URL(f.agent).hostname, f.status]));
      const first = await ask();
      expect(statuses(first)).toEqual({ [hung]: 504, [down]: 502 });
      const started = Date.now();
      const second = await ask();
      expect(Date.now() - started).toBeLessThan(300);
      expect(second.answers).toHaveLength(1);
      expect(statuses(second)).toEqual({ [hung]: 504, [down]: 502 });
      expect(second.failures.find((f) => f.agent.includes(hung))?.message).toBe(
        'did not answer in time lately; asked again in 15 s'
      );
      expect(agents.find((a) => a.address === hung)!.requests).toHaveLength(1);
      clock += AGENT_REST_MS;
      await ask();
      expect(agents.find((a) => a.address === hung)!.requests).toHaveLength(2);
    } finally {
      await stop(agents);
    }
  });

  it('does not rest an agent that was never asked because every request slot was taken', async () => {
    const hung = '127.0.0.2';
    const { port, agents } = await startAgents(2, (agent, _req, res) => {
      if (agent.address !== hung) {
        res.end(JSON.stringify({ node: nodeOf(agent), events: [] }));
      }
    });
    try {
      const s = settings(port, { agentTimeoutMs: 300, agentConcurrency: 1 });
      const roster = rosterFor(s, agents);
      const ask = () => fanOutToAgents(roster, s, (client, signal) => client.getJson('/api/v1/events', { signal }));
      const first = await ask();
      expect(first.failures.map((f) => [new URL(f.agent).hostname, f.message])).toEqual([
        [hung, 'did not answer within 300 ms'],
        ['127.0.0.3', 'not asked within 300 ms: all 1 agent request slots (agentConcurrency) were busy'],
      ]);
      // The hung agent rests; the one that waited for a slot is asked and answers.
      const second = await ask();
      expect(second.answers.map((a) => new URL(a.agent).hostname)).toEqual(['127.0.0.3']);
    } finally {
      await stop(agents);
    }
  });

  it('asks only the agents hosting the queried pod or namespace, and all when none claims it', async () => {
    const hosted: Record<string, Array<{ namespace: string; name: string }>> = {
      '127.0.0.2': [{ namespace: 'shop', name: 'cart-1' }],
      '127.0.0.3': [{ namespace: 'shop', name: 'web-1' }],
      '127.0.0.4': [{ namespace: 'ops', name: 'probe-1' }],
    };
    const { port, agents } = await startAgents(3, (agent, req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body =
        path === '/api/v1/pods'
          ? { node: nodeOf(agent), pods: hosted[agent.address], podsWithoutNode: 0 }
          : { node: nodeOf(agent), events: [], truncated: false };
      res.end(JSON.stringify(body));
    });
    const eventsAsked = () => agents.filter((a) => a.requests.includes('/api/v1/events')).map((a) => a.address);
    const ask = async (roster: AgentRoster, s: DatasourceSettings, route: { namespace?: string; pod?: string }) => {
      agents.forEach((a) => (a.requests.length = 0));
      return fanOutToAgents(roster, s, (client, signal) => client.getJson('/api/v1/events', { signal }), { route });
    };
    try {
      const s = settings(port);
      const roster = rosterFor(s, agents);
      expect((await ask(roster, s, { namespace: 'shop', pod: 'web-1' })).asked).toBe(1);
      expect(eventsAsked()).toEqual(['127.0.0.3']);
      // Placement is kept: the second query asks nobody where pods live.
      await ask(roster, s, { pod: 'cart-1' });
      expect(eventsAsked()).toEqual(['127.0.0.2']);
      expect(agents.flatMap((a) => a.requests).filter((p) => p === '/api/v1/pods')).toEqual([]);
      await ask(roster, s, { namespace: 'shop' });
      expect(eventsAsked()).toEqual(['127.0.0.2', '127.0.0.3']);
      await ask(roster, s, { pod: 'started-a-second-ago' });
      expect(eventsAsked()).toHaveLength(3);
      await ask(roster, s, {});
      expect(eventsAsked()).toHaveLength(3);
    } finally {
      await stop(agents);
    }
  });

  it('still hears the hosting agents of a pod query when another agent hangs on the placement request', async () => {
    const hung = '127.0.0.4';
    const { port, agents } = await startAgents(3, (agent, req, res) => {
      if (agent.address === hung) {
        return;
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const pods = agent.address === '127.0.0.2' ? [{ namespace: 'shop', name: 'cart-1' }] : [];
      res.end(
        JSON.stringify(
          path === '/api/v1/pods'
            ? { node: nodeOf(agent), pods, podsWithoutNode: 0 }
            : { node: nodeOf(agent), events: [], truncated: false }
        )
      );
    });
    try {
      const s = settings(port, { agentTimeoutMs: 600 });
      const fan = await fanOutToAgents(
        rosterFor(s, agents),
        s,
        (client, signal) => client.getJson<{ node: string }>('/api/v1/events', { signal }),
        { route: { pod: 'cart-1' } }
      );
      expect(fan.answers.map((a) => a.value.node)).toEqual(['node-2']);
      // The hung agent could not say where its pods are, so it was asked too, and is named.
      expect(fan.failures.map((f) => [f.agent, f.status])).toEqual([[`http://${hung}:${port}`, 504]]);
    } finally {
      await stop(agents);
    }
  });

  it('keeps asking an agent that cannot place its pods (no identity, or an older agent without /api/v1/pods)', async () => {
    const { port, agents } = await startAgents(3, (agent, req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/api/v1/pods' && agent.address === '127.0.0.4') {
        res.statusCode = 404;
        res.end('{"error":"no route /api/v1/pods"}');
        return;
      }
      const pods = agent.address === '127.0.0.2' ? [{ namespace: 'shop', name: 'cart-1' }] : [];
      const podsWithoutNode = agent.address === '127.0.0.3' ? 7 : 0;
      res.end(
        JSON.stringify(path === '/api/v1/pods' ? { node: nodeOf(agent), pods, podsWithoutNode } : { events: [] })
      );
    });
    try {
      const s = settings(port);
      const fan = await fanOutToAgents(rosterFor(s, agents), s, async () => 'ok', { route: { pod: 'cart-1' } });
      expect(fan.asked).toBe(3);
    } finally {
      await stop(agents);
    }
  });

  it('names a configured URL that does not resolve', async () => {
    const s: DatasourceSettings = {
      uid: 'u',
      name: 'n',
      jsonData: { agentUrls: ['http://gone.test:9470'] },
      secure: {},
    };
    const roster = new AgentRoster(s, {
      resolve: async () => {
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    const fan = await fanOutToAgents(roster, s, async () => 'never');
    expect(fan.failures).toEqual([
      { agent: 'http://gone.test:9470', status: 502, message: 'gone.test does not resolve (ENOTFOUND)' },
    ]);
    expect(fan.asked).toBe(1);
  });
});
