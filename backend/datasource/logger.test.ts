import { HclogLogger } from './logger';

describe('HclogLogger', () => {
  it('writes hclog JSON lines with level, message, timestamp and key/values', () => {
    const lines: string[] = [];
    new HclogLogger({ write: (l: string) => lines.push(l) }, 'info')
      .with({ refId: 'A' })
      .warn('agent failed', { agent: 'http://a' });
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ '@level': 'warn', '@message': 'agent failed', refId: 'A', agent: 'http://a' });
    expect(new Date(entry['@timestamp']).getTime()).not.toBeNaN();
    expect(lines[0].endsWith('\n')).toBe(true);
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
