import { normalizeTraceId, traceIdFromBase64 } from './traceId';

describe('normalizeTraceId', () => {
  it('pads Tempo search ids that lost their leading zeros', () => {
    expect(normalizeTraceId('ABC123')).toBe('00000000000000000000000000abc123');
  });

  it('rejects ids that are not hex, too long or all zero', () => {
    expect(normalizeTraceId('xyz')).toBeUndefined();
    expect(normalizeTraceId('0'.repeat(32))).toBeUndefined();
    expect(normalizeTraceId('1'.repeat(33))).toBeUndefined();
  });

  it('decodes the base64 ids of Tempo trace JSON', () => {
    const hex = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceIdFromBase64(Buffer.from(hex, 'hex').toString('base64'))).toBe(hex);
  });
});
