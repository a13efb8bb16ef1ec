import { HclogLogger, hclogTimestamp } from './logger';

describe('HclogLogger', () => {
  it('writes hclog JSON lines with level, message, timestamp and key/values', () => {
    const lines: string[] = [];
    new HclogLogger({ write: (l: string) => lines.push(l) }, 'info')
      .with({ refId: 'A' })
      .warn('agent failed', { agent: 'http://a' });
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ '@level': 'warn', '@message': 'agent failed', refId: 'A', agent: 'http://a' });
    expect(entry['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lines[0].endsWith('\n')).toBe(true);
  });

  it('formats timestamps with the six fractional digits go-plugin parses', () => {
    expect(hclogTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.9)).toBe('2026-01-02T03:04:05.678900Z');
  });

  it('drops lines below the level', () => {
    const lines: string[] = [];
    new HclogLogger({ write: (l: string) => lines.push(l) }, 'warn').info('quiet');
    expect(lines).toEqual([]);
  });

  it('masks known secrets anywhere and values of secret-looking keys', () => {
    const lines: string[] = [];
    const logger = new HclogLogger({ write: (l: string) => lines.push(l) }).withSecrets(['s3cr3t-value']);
    logger.error('upstream said Bearer s3cr3t-value is bad', {
      detail: 'x s3cr3t-value y',
      agentToken: 'other-secret',
    });
    expect(lines[0]).not.toContain('s3cr3t-value');
    expect(lines[0]).not.toContain('other-secret');
    expect(JSON.parse(lines[0]).agentToken).toBe('[redacted]');
  });
});
