import { systemHostResolver, type HostResolver } from './agentAddresses';
import { AgentDiscovery } from './agentDiscovery';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AgentDiscovery', () => {
  it('expands a name to one agent per address, IPv6 in brackets, and keeps path and port', async () => {
    const resolve: HostResolver = async () => ({ addresses: ['10.0.0.2', 'fd00::3', '10.0.0.1'], ttlMs: 5000 });
    const found = await new AgentDiscovery(['http://wiretrace-agent.wiretrace.svc:9470/'], { resolve }).agents();
    expect(found.problems).toEqual([]);
    expect(found.agents.map((a) => a.url)).toEqual([
      'http://10.0.0.2:9470',
      'http://[fd00::3]:9470',
      'http://10.0.0.1:9470',
    ]);
    expect(found.agents.every((a) => a.configuredUrl === 'http://wiretrace-agent.wiretrace.svc:9470/')).toBe(true);
  });

  it('leaves addresses and https URLs as configured (TLS needs the name), without resolving', async () => {
    const resolve = jest.fn<ReturnType<HostResolver>, [string]>();
    const urls = ['http://127.0.0.1:9470', 'http://[::1]:9470', 'https://agents.example:443'];
    const found = await new AgentDiscovery(urls, { resolve }).agents();
    expect(found.agents.map((a) => a.url)).toEqual(urls);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('re-resolves after the records’ TTL (capped), and concurrent callers share one resolution', async () => {
    const time = clock();
    let answer = ['10.0.0.1'];
    const resolve = jest.fn(async () => ({ addresses: answer, ttlMs: 3000 }));
    const discovery = new AgentDiscovery(['http://agents:9470'], { resolve, now: time.now, maxTtlMs: 10_000 });
    await Promise.all([discovery.agents(), discovery.agents(), discovery.agents()]);
    expect(resolve).toHaveBeenCalledTimes(1);
    answer = ['10.0.0.1', '10.0.0.9'];
    time.advance(2999);
    expect((await discovery.agents()).agents).toHaveLength(1);
    time.advance(2);
    expect((await discovery.agents()).agents.map((a) => a.url)).toEqual([
      'http://10.0.0.1:9470',
      'http://10.0.0.9:9470',
    ]);
    expect(resolve).toHaveBeenCalledTimes(2);
  });

  it('keeps the last answer when re-resolution fails, and names a name that never resolved', async () => {
    const time = clock();
    let fail = false;
    const resolve: HostResolver = async (host) => {
      if (fail || host === 'missing') {
        throw Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' });
      }
      return { addresses: ['10.0.0.1'], ttlMs: 1000 };
    };
    const discovery = new AgentDiscovery(['http://agents:9470', 'http://missing:9470'], { resolve, now: time.now });
    const first = await discovery.agents();
    expect(first.agents.map((a) => a.url)).toEqual(['http://10.0.0.1:9470']);
    expect(first.problems).toEqual([
      { configuredUrl: 'http://missing:9470', message: 'missing does not resolve (ENOTFOUND)' },
    ]);
    fail = true;
    time.advance(5000);
    expect((await discovery.agents()).agents.map((a) => a.url)).toEqual(['http://10.0.0.1:9470']);
  });

  it('says so when the Service has no ready agent', async () => {
    const resolve: HostResolver = async () => ({ addresses: [] });
    const found = await new AgentDiscovery(['http://agents:9470'], { resolve }).agents();
    expect(found.agents).toEqual([]);
    expect(found.problems[0].message).toBe('agents resolves to no address (no agent is ready)');
  });

  it('resolves a hosts-file name through the system resolver', async () => {
    const { addresses } = await systemHostResolver()('localhost');
    expect(addresses).toEqual(expect.arrayContaining(['127.0.0.1']));
  });
});
