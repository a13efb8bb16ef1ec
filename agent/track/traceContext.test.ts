import { extractTraceContext } from './traceContext';

describe('extractTraceContext', () => {
  it('reads W3C traceparent', () => {
    expect(extractTraceContext({ traceparent: '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01' })).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
  });

  it('rejects an all-zero or version ff traceparent', () => {
    expect(
      extractTraceContext({ traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' })
    ).toBeUndefined();
    expect(
      extractTraceContext({ traceparent: 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })
    ).toBeUndefined();
  });

  it('reads b3 single and multi headers, padding 64-bit trace ids', () => {
    expect(extractTraceContext({ b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1' })?.traceId).toBe(
      '80f198ee56343ba864fe8b2a57d3eff7'
    );
    expect(extractTraceContext({ 'x-b3-traceid': '64fe8b2a57d3eff7', 'x-b3-spanid': 'e457b5a2e4d86bd1' })).toEqual({
      traceId: '000000000000000064fe8b2a57d3eff7',
      spanId: 'e457b5a2e4d86bd1',
    });
    expect(extractTraceContext({ b3: '1' })).toBeUndefined();
  });

  it('reads Jaeger uber-trace-id, URL-encoded or not', () => {
    expect(extractTraceContext({ 'uber-trace-id': 'abc123:def456:0:1' })).toEqual({
      traceId: '00000000000000000000000000abc123',
      spanId: '0000000000def456',
    });
    expect(extractTraceContext({ 'uber-trace-id': 'abc123%3Adef456%3A0%3A1' })?.traceId).toBe(
      '00000000000000000000000000abc123'
    );
  });

  it('prefers traceparent when several are present', () => {
    expect(
      extractTraceContext({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1',
      })?.traceId
    ).toBe('0af7651916cd43dd8448eb211c80319c');
  });
});
