import { parseQuery } from './parseQuery';

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

  it.each([
    ['{"queryType":"drops","groupBy":"pod"}', 'query field groupBy must be one of reason, policy, got "pod"'],
    ['[1]', 'query JSON must be an object'],
    ['{"queryType":"flows","namespace":3}', 'query field namespace must be a string'],
    ['{"queryType":"flows","limit":0}', 'query field limit must be an integer >= 1, got 0'],
    ['{"queryType":"flows","kinds":"drop"}', 'query field kinds must be a list of strings'],
    ['{"queryType":"flows","asTimeSeries":"yes"}', 'query field asTimeSeries must be true or false'],
  ])('rejects %s', (json, message) => {
    expect(() => parseQuery(json, '')).toThrow(message);
  });
});
