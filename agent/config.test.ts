import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lokiOptionsFromConfig, otlpOptionsFromConfig } from './export/exportConfig';
import { hubbleConfigFrom } from './sensors/hubble/hubbleConfig';
import { nflogConfigFrom } from './sensors/nflog/nflogConfig';
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
    expect(c.capture).toEqual({ interfaces: ['br0'], snaplen: 1500, filter: 'tcp or udp', stallAfterMs: 0 });
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

  it('refuses unknown keys, naming the nearest known one', () => {
    expect(() => parseAgentConfig({ captrue: { interfaces: ['lo'] } })).toThrow(
      /unknown key "captrue" \(did you mean "capture"\?\)/
    );
    expect(() => parseAgentConfig({ api: { tokne: 'x' } })).toThrow(
      /unknown key "api.tokne" \(did you mean "api.token"\?\)/
    );
    expect(() => parseAgentConfig({ tracker: { unansweredSyn: 10 } })).toThrow(
      /did you mean "tracker.unansweredSynMs"/
    );
    expect(() => parseAgentConfig({ zzzzzzzz: 1 })).toThrow(/unknown key "zzzzzzzz"; known keys: node,/);
    // A long key is cut in the message.
    expect(() => parseAgentConfig({ ['k'.repeat(100_000)]: 1 })).toThrow(/unknown key "k{64}…"/);
  });

  it('refuses a blank token, inline or from a file', () => {
    expect(() => parseAgentConfig({ api: { token: '   ' } })).toThrow(/api.token is empty or only whitespace/);
    const dir = mkdtempSync(join(tmpdir(), 'wt-config-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, ' \n\t\n');
    expect(() => resolveApiToken({ listen: '127.0.0.1:1', tokenFile })).toThrow(/is empty or only whitespace/);
    expect(resolveApiToken({ listen: '127.0.0.1:1', token: ' tok3n\n' })).toBe('tok3n');
  });

  it('reads only a regular config file of bounded size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wt-config-'));
    const fifo = join(dir, 'agent.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadAgentConfig(fifo)).toThrow(/is not a regular file/);
    expect(() => loadAgentConfig('/dev/zero')).toThrow(/is not a regular file/);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `node: ${'n'.repeat(2 * 1024 * 1024)}\n`);
    expect(() => loadAgentConfig(big)).toThrow(/over the limit of 1048576/);
  });

  it('does not take names that start like a loopback address for loopback', () => {
    expect(isLoopback('127.0.0.1.nip.io')).toBe(false);
    expect(isLoopback('127.evil.example')).toBe(false);
    expect(isLoopback('127.0.0.2')).toBe(true);
  });

  it('refuses unknown keys in the sections the exporters and event sources read', () => {
    expect(() => lokiOptionsFromConfig({ url: 'http://l', tenatn: 'a' })).toThrow(
      /unknown key "export.loki.tenatn" \(did you mean "export.loki.tenant"\?\)/
    );
    expect(() => lokiOptionsFromConfig({ url: 'http://l', basicAuth: { user: 'a', password: 'b' } })).toThrow(
      /unknown key "export.loki.basicAuth.user"/
    );
    expect(() => otlpOptionsFromConfig({ url: 'http://o', timeoutMS: 100 })).toThrow(
      /did you mean "export.otlp.timeoutMs"/
    );
    expect(() => hubbleConfigFrom({ adress: 'relay:4245' })).toThrow(/did you mean "hubble.address"/);
    expect(() => nflogConfigFrom({ grup: 5 }, 'n')).toThrow(/did you mean "nflog.group"/);
  });
});
