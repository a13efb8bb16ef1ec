import type { NetworkEvent } from '../../model/events';
import type { DatasourceSettings } from '../datasource/types';
import { AgentFleet, allAgentsFailed, mergeAgentEvents } from './agent';
import { startTestServer, type TestServer } from '../testkit/testServer';

function event(time: number, srcPort: number): NetworkEvent {
  return {
    kind: 'flow',
    time,
    transport: 'tcp',
    source: 'pcap',
    src: { ip: '10.0.0.1', port: srcPort },
    dst: { ip: '10.0.0.2', port: 80 },
  };
}

describe('mergeAgentEvents', () => {
  it('orders by time and keeps one copy of an event two agents both saw', () => {
    const merged = mergeAgentEvents([
      [event(30, 1), event(10, 2)],
      [event(10, 2), event(20, 3)],
    ]);
    expect(merged.map((e) => e.time)).toEqual([10, 20, 30]);
  });

  it('orders the page of a single agent by time', () => {
    expect(mergeAgentEvents([[event(30, 1), event(10, 2), event(20, 3)]]).map((e) => e.time)).toEqual([10, 20, 30]);
  });
});

describe('allAgentsFailed', () => {
  it('keeps a shared timeout status and names every agent', () => {
    const err = allAgentsFailed([
      { agent: 'http://a', message: 'did not answer', status: 504 },
      { agent: 'http://b', message: 'did not answer', status: 504 },
    ]);
    expect(err).toMatchObject({ status: 504, source: 'downstream' });
    expect(err.message).toBe('all 2 capture agents failed: http://a: did not answer; http://b: did not answer');
    expect(
      allAgentsFailed([
        { agent: 'a', message: 'x', status: 504 },
        { agent: 'b', message: 'y', status: 401 },
      ]).status
    ).toBe(502);
  });
});

describe('AgentFleet.events', () => {
  let good: TestServer;
  let broken: TestServer;

  beforeAll(async () => {
    good = await startTestServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.end(
        JSON.stringify({
          node: 'n1',
          truncated: false,
          events: [event(5, 1), event(6, 2), event(7, 3)],
          echo: url.search,
        })
      );
    });
    broken = await startTestServer((_req, res) => res.end('{"unexpected":true}'));
  });
  afterAll(() => Promise.all([good.close(), broken.close()]));

  const settings = (agentUrls: string[]): DatasourceSettings => ({
    uid: 'u',
    name: 'n',
    jsonData: { agentUrls },
    secure: { agentToken: 'tok-123456' },
  });

  it('asks with Unix-ns times, merges, applies the limit and reports failing agents separately', async () => {
    const fleet = new AgentFleet(settings([good.url, broken.url]));
    const r = await fleet.events(
      { fromMs: 1000, toMs: 2000, kinds: ['flow', 'drop'], limit: 2 },
      new AbortController().signal
    );
    expect(r.events.map((e) => e.time)).toEqual([5, 6]);
    expect(r.truncated).toBe(true);
    expect(r.failures).toEqual([
      { agent: broken.url, status: 502, message: `agent ${broken.url} answered /api/v1/events without an events list` },
    ]);
    const asked = new URL(good.requests[0].url ?? '', 'http://x').searchParams;
    expect(asked.get('from')).toBe('1000000000');
    expect(asked.get('kind')).toBe('flow,drop');
    expect(good.requests[0].headers.authorization).toBe('Bearer tok-123456');
  });

  it('refuses when no agent is configured', async () => {
    await expect(
      new AgentFleet(settings([])).events({ fromMs: 0, toMs: 1 }, new AbortController().signal)
    ).rejects.toMatchObject({ status: 400 });
  });
});
