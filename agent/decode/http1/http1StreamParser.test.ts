import type { Http1Message, Http1Role } from './http1Message';
import { Http1StreamParser } from './http1StreamParser';

function feed(
  role: Http1Role,
  text: string | Uint8Array,
  opts: { split?: number; maxBodyBytes?: number; methods?: string[]; close?: boolean } = {}
) {
  const messages: Http1Message[] = [];
  const parser = new Http1StreamParser({ role, onMessage: (m) => messages.push(m), maxBodyBytes: opts.maxBodyBytes });
  opts.methods?.forEach((m) => parser.expectResponseTo(m));
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const step = opts.split ?? bytes.length;
  let t = 1000;
  for (let o = 0; o < bytes.length; o += step) {
    parser.push(bytes.slice(o, o + step), t++);
  }
  if (opts.close) {
    parser.end(9999);
  }
  return { messages, parser };
}

const PIPELINE =
  'GET /api/v1/items?x=1 HTTP/1.1\r\nHost: shop.local\r\nX-Folded: a\r\n  b\r\nAccept: a\r\nAccept: b\r\n\r\n' +
  'POST /checkout HTTP/1.1\r\nHost: shop.local\r\nContent-Length: 11\r\n\r\nhello world' +
  'PUT /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n';

describe('Http1StreamParser', () => {
  it.each([1, 2, 3, 7, 64, 100000])('parses pipelined requests split every %i bytes', (split) => {
    const { messages, parser } = feed('request', PIPELINE, { split, maxBodyBytes: 8 });
    expect(parser.notHttp).toBeUndefined();
    expect(
      messages.map((m) => (m.head.kind === 'request' ? [m.head.method, m.head.target, m.bodyLength, m.complete] : []))
    ).toEqual([
      ['GET', '/api/v1/items?x=1', 0, true],
      ['POST', '/checkout', 11, true],
      ['PUT', '/upload', 11, true],
    ]);
    const get = messages[0].head;
    expect(get.headers.get('HOST')).toBe('shop.local');
    expect(get.headers.get('x-folded')).toBe('a b');
    expect(get.headers.getAll('accept')).toEqual(['a', 'b']);
    expect(Buffer.from(messages[1].body!).toString()).toBe('hello wo');
    expect(messages[1].bodyTruncated).toBe(true);
    expect(messages[2].trailers?.get('x-checksum')).toBe('abc');
  });

  it('keeps no body by default', () => {
    const { messages } = feed('request', PIPELINE);
    expect(messages[1].body).toBeUndefined();
    expect(messages[1].bodyTruncated).toBe(false);
  });

  it('knows which responses have no body: HEAD, 1xx, 204, 304', () => {
    const text =
      'HTTP/1.1 100 Continue\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n' +
      'HTTP/1.1 204 No Content\r\n\r\n' +
      'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n' +
      'HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnah';
    const { messages, parser } = feed('response', text, { methods: ['HEAD', 'GET', 'GET', 'GET'] });
    expect(parser.notHttp).toBeUndefined();
    expect(messages.map((m) => (m.head.kind === 'response' ? [m.head.status, m.bodyLength] : []))).toEqual([
      [100, 0],
      [200, 0],
      [204, 0],
      [304, 0],
      [404, 3],
    ]);
  });

  it('reads a body until the connection closes when nothing delimits it', () => {
    const { messages } = feed('response', 'HTTP/1.0 200 OK\r\nServer: old\r\n\r\nsome bytes until close', {
      split: 5,
      close: true,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ bodyLength: 22, complete: true, lastByteUs: 9999 });
  });

  it('marks a message cut by the connection closing as incomplete', () => {
    const { messages } = feed('response', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort', {
      close: true,
      methods: ['GET'],
    });
    expect(messages[0]).toMatchObject({ bodyLength: 5, complete: false });
  });

  it('records first and last byte times', () => {
    const { messages } = feed('request', 'POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd', { split: 10 });
    expect(messages[0]).toMatchObject({ firstByteUs: 1000, lastByteUs: 1004 });
  });

  it('stops after a 101 upgrade', () => {
    const { messages, parser } = feed(
      'response',
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello'
    );
    expect(messages).toHaveLength(1);
    expect(parser.upgraded).toBe(true);
  });

  it.each([
    ['binary', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', /does not start like an HTTP\/1 request/],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /not an HTTP\/1 request line/],
    [
      'conflicting lengths',
      'POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      /invalid Content-Length/,
    ],
    ['bad header', 'GET / HTTP/1.1\r\nno colon here\r\n\r\n', /line 2 is not a header field/],
    ['bad chunk', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/],
  ])('marks %s as not HTTP instead of throwing', (_, text, reason) => {
    const { messages, parser } = feed('request', text);
    expect(messages).toHaveLength(0);
    expect(parser.notHttp).toMatch(reason);
    parser.push(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 0);
    expect(messages).toHaveLength(0);
  });

  it('absorbs lost bytes inside a body and stops when they hit the framing', () => {
    const messages: Http1Message[] = [];
    const parser = new Http1StreamParser({ role: 'request', onMessage: (m) => messages.push(m) });
    parser.push(Buffer.from('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab'), 1);
    parser.gap(6, 2);
    parser.push(Buffer.from('cdGET / HTTP/1.1\r\n\r\n'), 3);
    expect(messages.map((m) => [m.bodyLength, m.complete])).toEqual([
      [10, false],
      [0, true],
    ]);
    parser.push(Buffer.from('GET / HT'), 4);
    parser.gap(3, 5);
    expect(parser.notHttp).toBeUndefined();
    expect(parser.resyncs).toBe(1);
  });

  it('after bytes lost in a head or past a body’s end, ends that message incomplete and finds the next one', () => {
    const messages: Http1Message[] = [];
    let resyncs = 0;
    const parser = new Http1StreamParser({
      role: 'response',
      onMessage: (m) => messages.push(m),
      onResync: () => resyncs++,
    });
    parser.expectResponseTo('GET');
    parser.expectResponseTo('GET');
    parser.expectResponseTo('GET');
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab'), 1);
    // The rest of that body, a whole response and the start of the next are lost.
    parser.gap(90, 2);
    // The tail of the lost head, then a body that happens to hold "HTTP/1.1 200" mid-line, then a real response.
    parser.push(Buffer.from('Length: 3\r\n\r\nx HTTP/1.1 200 y'), 3);
    parser.push(Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\nno'), 4);
    expect(messages.map((m) => [m.head.kind === 'response' && m.head.status, m.complete])).toEqual([
      [200, false],
      [503, true],
    ]);
    expect([resyncs, parser.resyncs, parser.notHttp]).toEqual([1, 1, undefined]);
    // A request stream finds the next request line the same way, even mid-segment after a line end.
    const requests: Http1Message[] = [];
    const req = new Http1StreamParser({ role: 'request', onMessage: (m) => requests.push(m) });
    req.push(Buffer.from('GET /a HT'), 1);
    req.gap(40, 2);
    req.push(Buffer.from('junk\r\nPOST /b HTTP/1.1\r\nContent-Length: 0\r\n\r\n'), 3);
    expect(requests.map((m) => m.head.kind === 'request' && m.head.target)).toEqual(['/b']);
  });
});
