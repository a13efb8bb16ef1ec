import { MAX_QUERY_JSON_BYTES, checkTimeRange, parseQuery } from './parseQuery';

describe('parseQuery', () => {
  it('keeps known filters and drops empty ones and Grafana extras', () => {
    const q = parseQuery(
      '{"queryType":"drops","namespace":"shop","pod":"","limit":"50","slackMs":250.5,"refId":"A","datasource":{"uid":"x"}}',
      ''
    );
    expect(q).toEqual({ queryType: 'drops', namespace: 'shop', limit: 50, slackMs: 250.5 });
  });

  it('treats empty JSON with a request queryType as that type', () => {
    expect(parseQuery(new Uint8Array(), 'topology')).toEqual({ queryType: 'topology' });
  });

  it('passes the drops series grouping through', () => {
    expect(parseQuery('{"queryType":"drops","asTimeSeries":true,"groupBy":"policy"}', '')).toEqual({
      queryType: 'drops',
      asTimeSeries: true,
      groupBy: 'policy',
    });
    expect(parseQuery('{"queryType":"drops","groupBy":""}', '')).toEqual({ queryType: 'drops' });
  });

  it('reads an "All" kinds selection as no kind filter and drops repeated kinds', () => {
    expect(parseQuery('{"queryType":"flows","kinds":["drop","$__all"]}', '')).toEqual({ queryType: 'flows' });
    expect(parseQuery('{"queryType":"flows","kinds":[]}', '')).toEqual({ queryType: 'flows' });
    expect(parseQuery('{"queryType":"flows","kinds":["drop","dns","drop"]}', '')).toEqual({
      queryType: 'flows',
      kinds: ['drop', 'dns'],
    });
  });

  it('names the query JSON size when it is over the cap', () => {
    const json = JSON.stringify({ queryType: 'flows', padding: 'x'.repeat(MAX_QUERY_JSON_BYTES) });
    expect(() => parseQuery(json, '')).toThrow(`query JSON is ${json.length} bytes; at most ${MAX_QUERY_JSON_BYTES}`);
  });

  it('echoes at most a short prefix of a huge unknown queryType', () => {
    const err = (() => {
      try {
        parseQuery('{}', 'x'.repeat(50 * 1024 * 1024));
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toContain('(52428800 characters)');
  });

  it.each([
    [{ fromMs: 2000, toMs: 1000 }, 'time range is inverted: from 1970-01-01T00:00:02.000Z is after to'],
    [{ fromMs: NaN, toMs: 1000 }, 'time range must have a finite from and to'],
  ])('rejects the time range %j', (range, message) => {
    expect(() => checkTimeRange(range)).toThrow(message);
  });

  it.each([
    ['{"queryType":"drops","groupBy":"pod"}', 'query field groupBy must be one of reason, policy, got "pod"'],
    ['[1]', 'query JSON must be an object'],
    ['{"queryType":"flows","namespace":3}', 'query field namespace must be a string'],
    ['{"queryType":"flows","limit":0}', 'query field limit must be an integer between 1 and 1000000, got 0'],
    [
      '{"queryType":"flows","limit":1e12}',
      'query field limit must be an integer between 1 and 1000000, got 1000000000000',
    ],
    ['{"queryType":"drops","slackMs":-1}', 'query field slackMs must be a number between 0 and 3600000, got -1'],
    ['{"queryType":"logs","traceId":"zz"}', 'query field traceId must be 1 to 32 hex digits (not all zeros), got "zz"'],
    ['{"queryType":"logs","traceId":"000"}', 'query field traceId must be 1 to 32 hex digits'],
    [
      '{"queryType":"flows","kinds":["drop","packet"]}',
      'query field kinds has unknown kind "packet"; valid kinds: flow,',
    ],
    [`{"queryType":"flows","pod":"${'p'.repeat(254)}"}`, 'query field pod is 254 characters; at most 253'],
    [`{"queryType":"flows","search":"${'s'.repeat(1025)}"}`, 'query field search is 1025 characters; at most 1024'],
    ['{"queryType":"flows","kinds":"drop"}', 'query field kinds must be a list of strings'],
    ['{"queryType":"flows","asTimeSeries":"yes"}', 'query field asTimeSeries must be true or false'],
  ])('rejects %s', (json, message) => {
    expect(() => parseQuery(json, '')).toThrow(message);
  });
});
