import { TcpConversation, trackConversation } from '../testkit/tcpConversation';
import { type TrackerOptions } from './trackerOptions';

const client = { ip: '10.244.1.2', port: 41000 };
const server = { ip: '10.244.1.3', port: 8080 };

function run(conversation: TcpConversation, options: Partial<TrackerOptions> = {}) {
  const { events, stats } = trackConversation(conversation, { tracker: options });
  return { http: events.filter((e) => e.kind === 'http'), flow: events.find((e) => e.kind === 'flow'), stats };
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('HttpExchangeTracker', () => {
  it('pairs keep-alive exchanges, reads trace context and redacts credentials', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(
      1_001_000,
      `GET /orders?id=7&token=x HTTP/1.1\r\nHost: shop\r\ntraceparent: ${TRACEPARENT}\r\nAuthorization: Bearer s3cret\r\n\r\n`
    );
    c.serverSends(1_003_000, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: sid=1\r\n\r\nhello');
    c.clientSends(1_010_000, 'POST /pay HTTP/1.1\r\nHost: shop\r\nContent-Length: 3\r\n\r\nabc');
    c.serverSends(1_015_000, 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
    c.close(1_020_000);
    const { http, flow } = run(c);
    expect(flow?.flow?.appProtocol).toBe('http');
    expect(http).toHaveLength(2);
    const [first, second] = http;
    expect(first).toMatchObject({
      time: 1_001_000,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      src: client,
      dst: server,
      http: { method: 'GET', path: '/orders', host: 'shop', status: 200, latencyUs: 2000 },
    });
    expect(first.http?.requestHeaders.authorization).toBe('[REDACTED]');
    expect(first.http?.responseHeaders?.['set-cookie']).toBe('[REDACTED]');
    expect(first.http?.requestBody).toBeUndefined();
    expect(second.http).toMatchObject({ method: 'POST', path: '/pay', status: 503, latencyUs: 5000 });
  });

  it('keeps pairing after the capture lost a response: later exchanges keep their own status', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const exchange = (t: number, path: string, status: string) => {
      c.clientSends(t, `GET ${path} HTTP/1.1\r\nHost: s\r\n\r\n`);
      return c.serverSends(t + 1_000, `HTTP/1.1 ${status}\r\nContent-Length: 2\r\n\r\nok`);
    };
    exchange(1_001_000, '/a', '200 OK');
    const lost = exchange(1_010_000, '/b', '503 Service Unavailable');
    // The kernel dropped that response before the capture read it; the client got it and went on.
    c.packets.splice(c.packets.indexOf(lost), 1);
    exchange(1_020_000, '/c', '404 Not Found');
    exchange(1_030_000, '/d', '201 Created');
    c.close(1_040_000);
    const { http, stats } = run(c);
    expect(http.map((e) => [e.http?.path, e.http?.status])).toEqual([
      ['/a', 200],
      ['/b', undefined],
      ['/c', 404],
      ['/d', 201],
    ]);
    expect(stats.httpResyncs).toBe(1);
    expect(stats.parseErrors).toBe(0);
  });

  it('drops the answer to a request the capture lost instead of giving it to the next request', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'GET /a HTTP/1.1\r\n\r\n');
    c.serverSends(1_002_000, 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok');
    // The end of that body is lost: everything the server sends after it waits behind the hole.
    const bodyEnd = c.serverSends(1_002_100, 'ok');
    c.packets.splice(c.packets.indexOf(bodyEnd), 1);
    const lostRequest = c.clientSends(1_010_000, 'GET /b HTTP/1.1\r\n\r\n');
    c.packets.splice(c.packets.indexOf(lostRequest), 1);
    c.serverSends(1_011_000, 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n');
    c.clientSends(1_020_000, 'GET /c HTTP/1.1\r\n\r\n');
    c.serverSends(1_021_000, 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    c.clientSends(1_030_000, 'GET /d HTTP/1.1\r\n\r\n');
    c.serverSends(1_031_000, 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n');
    c.close(1_040_000);
    const { http } = run(c);
    expect(http.map((e) => [e.http?.path, e.http?.status])).toEqual([
      ['/a', 200],
      ['/c', 404],
      ['/d', 201],
    ]);
  });

  it('pairs pipelined requests with responses in order, across segment boundaries and chunked bodies', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'GET /a HTTP/1.1\r\nHost: s\r\n\r\nHEAD /b HTTP/1.1\r\nHo');
    c.clientSends(1_001_100, 'st: s\r\n\r\nGET /c HTTP/1.1\r\n\r\n');
    c.serverSends(
      1_002_000,
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 99\r\n\r\n'
    );
    c.serverSends(1_002_500, 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nno');
    c.close(1_003_000);
    const { http } = run(c);
    expect(http.map((e) => [e.http?.path, e.http?.status])).toEqual([
      ['/a', 200],
      ['/b', 404],
      ['/c', 500],
    ]);
  });

  it('reads each propagation format, preferring traceparent', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const requests = [
      'X-B3-TraceId: 64fe8b2a57d3eff7\r\nX-B3-SpanId: e457b5a2e4d86bd1',
      'uber-trace-id: abc123%3Adef456%3A0%3A1',
      'b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1',
      `b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1\r\ntraceparent: ${TRACEPARENT}`,
    ];
    requests.forEach((h, i) => {
      c.clientSends(1_001_000 + i * 1000, `GET /t${i} HTTP/1.1\r\n${h}\r\n\r\n`);
      c.serverSends(1_001_500 + i * 1000, 'HTTP/1.1 204 No Content\r\n\r\n');
    });
    c.close(1_010_000);
    const { http } = run(c);
    expect(http.map((e) => [e.traceId, e.spanId])).toEqual([
      ['000000000000000064fe8b2a57d3eff7', 'e457b5a2e4d86bd1'],
      ['00000000000000000000000000abc123', '0000000000def456'],
      ['80f198ee56343ba864fe8b2a57d3eff7', 'e457b5a2e4d86bd1'],
      ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
    ]);
  });

  it('keeps bodies only when enabled, up to the cap', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789');
    c.serverSends(1_002_000, 'HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone');
    c.close(1_003_000);
    const { http } = run(c, {
      http: { captureBodies: true, maxBodyBytes: 6, redactHeaders: [], maxPendingRequests: 8 },
    });
    expect(http[0].http).toMatchObject({ requestBody: '012345', responseBody: 'done' });
  });

  it('skips interim 100 Continue and reports a request left without an answer', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, 'PUT /f HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n');
    c.serverSends(1_001_500, 'HTTP/1.1 100 Continue\r\n\r\n');
    c.clientSends(1_001_600, 'ok');
    c.serverSends(1_002_000, 'HTTP/1.1 204 No Content\r\n\r\n');
    c.clientSends(1_003_000, 'GET /hang HTTP/1.1\r\n\r\n');
    const { http } = run(c);
    expect(http.map((e) => [e.http?.path, e.http?.status])).toEqual([
      ['/f', 204],
      ['/hang', undefined],
    ]);
  });

  it('recovers the exchange when a segment arrives out of order', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    const a = c.clientSends(1_001_000, 'GET /reorder');
    const b = c.clientSends(1_001_001, ' HTTP/1.1\r\n\r\n');
    c.packets.splice(c.packets.indexOf(a), 1);
    c.packets.splice(c.packets.indexOf(b) + 1, 0, a);
    c.serverSends(1_002_000, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    c.close(1_003_000);
    const { http } = run(c);
    expect(http.map((e) => e.http?.path)).toEqual(['/reorder']);
  });

  // The server refuses a big upload as soon as it reads the head; the client may go on sending the body.
  it.each([401, 413, 417, 501])(
    'pairs an early %i answered before the request body ended with that request',
    (status) => {
      const c = new TcpConversation(client, server);
      c.handshake(1_000_000);
      c.clientSends(
        1_001_000,
        `POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(1000)}`
      );
      c.serverSends(1_002_000, `HTTP/1.1 ${status} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      c.clientSends(1_003_000, 'y'.repeat(1000));
      c.close(1_004_000);
      const { http } = run(c);
      expect(http).toHaveLength(1);
      expect(http[0]).toMatchObject({
        time: 1_001_000,
        http: { method: 'POST', path: '/upload', status, latencyUs: 1000 },
      });
    }
  );
});
