import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isLoopback, loadAgentConfig, parseAgentConfig, parseListen, resolveApiToken } from './config';

describe('agent config', () => {
  it('reads a YAML file over the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-config-'));
    const file = join(dir, 'agent.yaml');
    writeFileSync(
      file,
      [
        'node: node-a',
        'capture: { interfaces: [br0], snaplen: 1500, filter: "tcp or udp" }',
        'api: { listen: "0.0.0.0:9999", token: s3cret }',
        'store: { maxBytes: 1048576 }',
        'tracker: { unansweredSynMs: 1500 }',
        'http: { redactHeaders: [X-Api-Key], captureBodies: true }',
        'export: { loki: { url: "http://127.0.0.1:3100" } }',
      ].join('\n')
    );
    const c = loadAgentConfig(file);
    expect(c.node).toBe('node-a');
    expect(c.capture).toEqual({ interfaces: ['br0'], snaplen: 1500, filter: 'tcp or udp' });
    expect(parseListen(c.api.listen)).toEqual({ host: '0.0.0.0', port: 9999 });
    expect(resolveApiToken(c.api)).toBe('s3cret');
    expect(c.store.maxBytes).toBe(1048576);
    expect(c.tracker.unansweredSynMs).toBe(1500);
    expect(c.tracker.node).toBe('node-a');
    expect(c.tracker.http.redactHeaders).toContain('x-api-key');
    expect(c.tracker.http.redactHeaders).toContain('authorization');
    expect(c.export.loki).toEqual({ url: 'http://127.0.0.1:3100' });
  });

  it('names the field that is wrong', () => {
    expect(() => parseAgentConfig({ capture: { snaplen: 'big' } })).toThrow(
      new ConfigError('config: capture.snaplen must be an integer from 64 to 262144')
    );
    expect(() => parseAgentConfig({ api: { listen: 'nowhere' } })).toThrow(/api.listen must be host:port/);
    expect(() => parseAgentConfig([])).toThrow(/expected a mapping/);
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });
});
