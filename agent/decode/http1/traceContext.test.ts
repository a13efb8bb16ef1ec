import { HeaderRedactor, redactHeaders } from './headerRedaction';
import { HttpHeaderList } from './httpHeaders';
import { extractTraceContext } from './traceContext';

function headers(pairs: Array<[string, string]>): HttpHeaderList {
  const h = new HttpHeaderList();
  pairs.forEach(([n, v]) => h.add(n, v));
  return h;
}

describe('extractTraceContext', () => {
  it('reads W3C traceparent', () => {
    const h = headers([['Traceparent', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01']]);
    expect(extractTraceContext(h)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
      format: 'w3c',
    });
  });

  it('rejects a traceparent with an all-zero trace id or version ff', () => {
    expect(
      extractTraceContext(headers([['traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']]))
    ).toBeUndefined();
    expect(
      extractTraceContext(headers([['traceparent', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']]))
    ).toBeUndefined();
  });

  it('reads b3 single header with a 64-bit trace id, zero-padded', () => {
    expect(extractTraceContext(headers([['b3', 'a3ce929d0e0e4736-00f067aa0ba902b7-1']]))).toEqual({
      traceId: '0000000000000000a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
      format: 'b3',
    });
    expect(extractTraceContext(headers([['b3', '0']]))).toBeUndefined();
  });

  it('reads X-B3-TraceId / X-B3-SpanId', () => {
    const h = headers([
      ['X-B3-TraceId', '463ac35c9f6413ad48485a3953bb6124'],
      ['X-B3-SpanId', 'a2fb4a1d1a96d312'],
      ['X-B3-Sampled', '1'],
    ]);
    expect(extractTraceContext(h)).toEqual({
      traceId: '463ac35c9f6413ad48485a3953bb6124',
      spanId: 'a2fb4a1d1a96d312',
      sampled: true,
      format: 'b3multi',
    });
  });

  it('reads uber-trace-id with unpadded, url-encoded ids', () => {
    const h = headers([['uber-trace-id', '5d8b2f7a1c%3A3c4d%3A0%3A1']]);
    expect(extractTraceContext(h)).toEqual({
      traceId: '5d8b2f7a1c'.padStart(32, '0'),
      spanId: '0000000000003c4d',
      sampled: true,
      format: 'jaeger',
    });
  });

  it('prefers traceparent when several formats are present', () => {
    const h = headers([
      ['uber-trace-id', 'abc:def:0:1'],
      ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'],
    ]);
    expect(extractTraceContext(h)?.format).toBe('w3c');
  });
});

describe('header redaction', () => {
  it('redacts credentials and configured names, keeps the rest, joins duplicates', () => {
    const h = headers([
      ['Authorization', 'Bearer secret'],
      ['Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['Proxy-Authorization', 'Basic x'],
      ['X-Api-Key', 'k'],
      ['Accept', 'a'],
      ['accept', 'b'],
    ]);
    expect(redactHeaders(h, ['X-API-KEY'])).toEqual({
      authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'set-cookie': '[REDACTED]',
      'proxy-authorization': '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accept: 'a, b',
    });
    expect(new HeaderRedactor().redacts('AUTHORIZATION')).toBe(true);
    expect(new HeaderRedactor().redacts('x-api-key')).toBe(false);
  });
});
