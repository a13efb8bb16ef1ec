import { BadParameterError, parseEventQuery, parseTimeParam } from './queryParams';

describe('query parameters', () => {
  it('reads RFC 3339 (with offsets and sub-millisecond digits) and Unix nanoseconds as microseconds', () => {
    expect(parseTimeParam('from', '2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1) * 1000);
    expect(parseTimeParam('from', '2026-01-01T01:00:00.123456789+01:00')).toBe(Date.UTC(2026, 0, 1) * 1000 + 123456);
    expect(parseTimeParam('from', '1767225600123456789')).toBe(1767225600123456);
  });

  it('defaults to the last hour and names the parameter at fault', () => {
    const now = 10_000_000_000;
    expect(parseEventQuery(new URLSearchParams(''), now)).toMatchObject({
      fromUs: now - 3600e6,
      toUs: now,
      limit: 1000,
    });
    const fail = (q: string) => {
      try {
        parseEventQuery(new URLSearchParams(q), now);
      } catch (err) {
        return (err as BadParameterError).parameter;
      }
      return undefined;
    };
    expect(fail('from=2026-13-01')).toBe('from');
    expect(fail('to=1000&from=2000')).toBe('from');
    expect(fail('limit=abc')).toBe('limit');
    expect(fail('kind=flow,nope')).toBe('kind');
  });
});
