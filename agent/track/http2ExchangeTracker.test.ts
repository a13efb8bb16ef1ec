// HTTP/2 and gRPC exchanges from hand-built frames through the TCP tracker: pairing, trailers, trace context,
// CONTINUATION/padding/priority, resets, GOAWAY, and malformed streams counted rather than thrown.
import { MAX_OPEN_STREAMS } from './http2ExchangeTracker';
import { TcpConversation, trackConversation } from '../testkit/tcpConversation';

const client = { ip: '10.244.1.2', port: 41000 };
const server = { ip: '10.244.1.3', port: 50051 };
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function frame(type: number, flags: number, stream: number, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, payload]);
}

// HPACK literals without indexing, names and values plain: enough to drive the decoder from tests.
function block(headers: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  const str = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    if (b.length >= 127) {
      throw new Error('test strings stay short');
    }
    return Buffer.concat([Buffer.of(b.length), b]);
  };
  for (const [name, value] of headers) {
    parts.push(Buffer.of(0x00), str(name), str(value));
  }
  return Buffer.concat(parts);
}

const SETTINGS = frame(4, 0, 0, Buffer.from('000300000064', 'hex'));
const HEADERS = 1;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const grpcRequest = (path: string, extra: Array<[string, string]> = []) =>
  block([
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', path],
    [':authority', 'orders:50051'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ...extra,
  ]);
const grpcMessage = frame(0, 0, 1, Buffer.from('0000000003010203', 'hex'));

function run(c: TcpConversation) {
  const { events, stats } = trackConversation(c);
  return { http: events.filter((e) => e.kind === 'http'), flow: events.find((e) => e.kind === 'flow'), stats };
}

describe('Http2ExchangeTracker', () => {
  it('reports a unary gRPC call with its method, status from trailers and trace context', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, Buffer.concat([PREFACE, SETTINGS]));
    c.serverSends(1_001_500, SETTINGS);
    c.clientSends(
      1_002_000,
      Buffer.concat([
        frame(HEADERS, END_HEADERS, 1, grpcRequest('/shop.Orders/Get', [['traceparent', TRACEPARENT]])),
        frame(0, END_STREAM, 1, Buffer.from('0000000001aa', 'hex')),
      ])
    );
    c.serverSends(
      1_005_000,
      frame(
        HEADERS,
        END_HEADERS,
        1,
        block([
          [':status', '200'],
          ['content-type', 'application/grpc'],
        ])
      )
    );
    c.serverSends(1_005_200, grpcMessage);
    c.serverSends(
      1_006_000,
      frame(
        HEADERS,
        END_HEADERS | END_STREAM,
        1,
        block([
          ['grpc-status', '0'],
          ['grpc-message', ''],
        ])
      )
    );
    c.close(1_010_000);
    const { http, flow, stats } = run(c);
    expect(stats.parseErrors).toBe(0);
    expect(flow?.flow?.appProtocol).toBe('grpc');
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({
      time: 1_002_000,
      endTime: 1_006_000,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      src: { ip: client.ip, port: client.port },
      dst: { ip: server.ip, port: server.port },
      http: {
        method: 'POST',
        path: '/shop.Orders/Get',
        host: 'orders:50051',
        status: 200,
        latencyUs: 3000,
        protocol: 'grpc',
        grpc: { service: 'shop.Orders', method: 'Get', status: 0, statusName: 'OK' },
      },
    });
    expect(http[0].http!.responseHeaders).toMatchObject({ 'grpc-status': '0', 'content-type': 'application/grpc' });
  });

  it('reads a failing call from a trailers-only response, with headers split over CONTINUATION, padding and priority', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const request = grpcRequest('/shop.Orders/Cancel', [['authorization', 'Bearer s3cret']]);
    const half = Math.floor(request.length / 2);
    // PADDED (3 bytes of padding) + PRIORITY (5 bytes), then a CONTINUATION with the rest.
    const first = Buffer.concat([
      Buffer.of(3),
      Buffer.from('8000000010', 'hex'),
      request.subarray(0, half),
      Buffer.alloc(3),
    ]);
    const bytes = Buffer.concat([
      PREFACE,
      SETTINGS,
      frame(HEADERS, 0x8 | 0x20, 1, first),
      frame(9, END_HEADERS, 1, request.subarray(half)),
      frame(0, END_STREAM, 1, Buffer.from('0000000000', 'hex')),
    ]);
    // One byte per segment: frame boundaries never line up with segments.
    let t = 1_001_000;
    for (const b of bytes) {
      c.clientSends(t++, Buffer.of(b));
    }
    c.serverSends(
      1_003_000,
      frame(
        HEADERS,
        END_HEADERS | END_STREAM,
        1,
        block([
          [':status', '200'],
          ['content-type', 'application/grpc'],
          ['grpc-status', '5'],
          ['grpc-message', 'order%207%20not%20found'],
        ])
      )
    );
    c.close(1_004_000);
    const { http, stats } = run(c);
    expect(stats.parseErrors).toBe(0);
    expect(http).toHaveLength(1);
    expect(http[0].http).toMatchObject({
      path: '/shop.Orders/Cancel',
      status: 200,
      grpc: {
        service: 'shop.Orders',
        method: 'Cancel',
        status: 5,
        statusName: 'NOT_FOUND',
        message: 'order 7 not found',
      },
      requestHeaders: { authorization: '[REDACTED]' },
    });
    expect(http[0].endTime).toBe(1_003_000);
  });

  it('reports plain h2c requests as HTTP/2, a reset stream with its error code and streams a GOAWAY refused', () => {
    const c = new TcpConversation(client, { ip: server.ip, port: 8080 });
    c.handshake(1_000_000);
    const get = (path: string) =>
      block([
        [':method', 'GET'],
        [':scheme', 'http'],
        [':path', path],
        [':authority', 'web'],
      ]);
    c.clientSends(
      1_001_000,
      Buffer.concat([
        PREFACE,
        SETTINGS,
        frame(HEADERS, END_HEADERS | END_STREAM, 1, get('/a?token=x')),
        frame(HEADERS, END_HEADERS | END_STREAM, 3, get('/slow')),
        frame(HEADERS, END_HEADERS | END_STREAM, 5, get('/late')),
      ])
    );
    // Server SETTINGS, then /a answered, /slow reset by the client, GOAWAY after stream 3.
    c.serverSends(1_002_000, Buffer.concat([SETTINGS, frame(HEADERS, END_HEADERS, 1, block([[':status', '404']]))]));
    c.serverSends(1_002_500, frame(0, END_STREAM, 1, Buffer.from('nope')));
    c.clientSends(1_003_000, frame(3, 0, 3, Buffer.from('00000008', 'hex')));
    c.serverSends(1_004_000, frame(7, 0, 0, Buffer.from('0000000300000000', 'hex')));
    c.close(1_005_000);
    const { http, flow, stats } = run(c);
    expect(stats.parseErrors).toBe(0);
    expect(flow?.flow?.appProtocol).toBe('http2');
    const byPath = Object.fromEntries(http.map((e) => [e.http!.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(['/a', '/late', '/slow']);
    expect(byPath['/a'].http).toMatchObject({ method: 'GET', status: 404, protocol: 'HTTP/2', host: 'web' });
    expect(byPath['/a'].http!.grpc).toBeUndefined();
    expect(byPath['/a'].endTime).toBe(1_002_500);
    expect(byPath['/slow'].http).toMatchObject({ streamError: 'CANCEL' });
    expect(byPath['/slow'].http!.status).toBeUndefined();
    expect(byPath['/late'].http).toMatchObject({ streamError: 'GOAWAY' });
  });

  it('follows a connection whose server sent its SETTINGS before the client preface', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.serverSends(1_000_500, SETTINGS);
    c.clientSends(
      1_001_000,
      Buffer.concat([PREFACE, SETTINGS, frame(HEADERS, END_HEADERS | END_STREAM, 1, grpcRequest('/a.B/C'))])
    );
    c.serverSends(
      1_002_000,
      frame(
        HEADERS,
        END_HEADERS | END_STREAM,
        1,
        block([
          [':status', '200'],
          ['content-type', 'application/grpc'],
          ['grpc-status', '12'],
        ])
      )
    );
    c.close(1_003_000);
    const { http } = run(c);
    expect(http.map((e) => e.http!.grpc)).toEqual([
      { service: 'a.B', method: 'C', status: 12, statusName: 'UNIMPLEMENTED' },
    ]);
  });

  it.each([
    ['a corrupt HPACK block', frame(HEADERS, END_HEADERS, 1, Buffer.of(0x80))],
    ['a CONTINUATION without its HEADERS', frame(9, END_HEADERS, 1, block([[':path', '/x']]))],
    ['padding longer than the frame', frame(HEADERS, END_HEADERS | 0x8, 1, Buffer.of(200, 0, 0))],
    ['a frame larger than kept', frame(HEADERS, END_HEADERS, 1, Buffer.alloc(70_000))],
    ['a DATA frame inside a header block', Buffer.concat([frame(HEADERS, 0, 1, Buffer.alloc(0)), frame(0, 0, 1)])],
  ])('counts %s as one parse error and reports nothing from it', (_what, bad) => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, Buffer.concat([PREFACE, SETTINGS, bad]));
    c.clientSends(1_002_000, frame(HEADERS, END_HEADERS | END_STREAM, 3, grpcRequest('/a.B/C')));
    c.close(1_003_000);
    const { http, stats } = run(c);
    expect(stats.parseErrors).toBe(1);
    expect(http).toEqual([]);
  });

  it('counts a bad preface after the first bytes and stops following that direction', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.serverSends(1_000_500, SETTINGS);
    c.clientSends(1_001_000, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    c.close(1_002_000);
    const { http, stats } = run(c);
    expect(stats.parseErrors).toBe(1);
    expect(http).toEqual([]);
  });

  it(`keeps at most ${MAX_OPEN_STREAMS} streams open, reporting the oldest unanswered when more come`, () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const frames = [PREFACE, SETTINGS];
    for (let i = 0; i < MAX_OPEN_STREAMS + 10; i++) {
      frames.push(frame(HEADERS, END_HEADERS | END_STREAM, 1 + 2 * i, grpcRequest(`/a.B/M${i}`)));
    }
    c.clientSends(1_001_000, Buffer.concat(frames));
    const { http, stats } = run(c);
    expect(stats.httpPendingEvicted).toBe(10);
    // The ten evicted, then the rest at the end of the capture: every stream once, none answered.
    expect(http).toHaveLength(MAX_OPEN_STREAMS + 10);
    expect(http.slice(0, 10).map((e) => e.http!.grpc!.method)).toEqual([...Array(10).keys()].map((i) => `M${i}`));
    expect(http.every((e) => e.http!.status === undefined)).toBe(true);
  });
});
