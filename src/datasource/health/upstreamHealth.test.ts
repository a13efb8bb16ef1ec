import { describeUpstreamHealth, readUpstreamHealth } from './upstreamHealth';

describe('readUpstreamHealth', () => {
  it('reads a keyed object of upstreams', () => {
    const health = readUpstreamHealth({
      message: 'ignored',
      tempo: { status: 'ok', message: 'Tempo 2.8 reachable' },
      loki: { status: 'error', message: 'connect ECONNREFUSED 127.0.0.1:3100' },
      agents: { status: 'not_configured' },
    });
    expect(health).toEqual([
      { name: 'tempo', state: 'ok', message: 'Tempo 2.8 reachable' },
      { name: 'loki', state: 'error', message: 'connect ECONNREFUSED 127.0.0.1:3100' },
      { name: 'agents', state: 'skipped', message: '' },
    ]);
  });

  it('reads a list of upstreams', () => {
    expect(readUpstreamHealth({ upstreams: [{ name: 'agent-a', ok: true }, { name: 'agent-b', error: 'timeout' }, {}] })).toEqual([
      { name: 'agent-a', state: 'ok', message: '' },
      { name: 'agent-b', state: 'error', message: 'timeout' },
    ]);
  });

  it('finds nothing in missing or odd details', () => {
    expect(readUpstreamHealth(undefined)).toEqual([]);
    expect(readUpstreamHealth('text')).toEqual([]);
  });

  it('prints one line per upstream', () => {
    expect(
      describeUpstreamHealth([
        { name: 'tempo', state: 'ok', message: 'reachable' },
        { name: 'loki', state: 'error', message: 'HTTP 401' },
        { name: 'agents', state: 'skipped', message: '' },
      ])
    ).toBe('✓ Tempo: reachable\n✗ Loki: HTTP 401\n– Agents');
  });
});
