import { parseHead, parseHeadBytes } from './http1HeadParser';

function headerPairs(text: string) {
  const head = parseHead(text, 'request');
  if (typeof head === 'string') {
    throw new Error(head);
  }
  return head.headers.entries;
}

describe('parseHead', () => {
  it('reads CRLF and bare-LF lines alike, values trimmed of spaces, tabs and NBSP as before', () => {
    const text = 'GET / HTTP/1.1\r\nHost:  shop.local \r\nX-Tab:\tv\t\nX-Nbsp: \u00a0a b\u00a0\r\nEmpty:\r\n\r\n';
    expect(headerPairs(text)).toEqual([
      ['Host', 'shop.local'],
      ['X-Tab', 'v'],
      ['X-Nbsp', 'a b'],
      ['Empty', ''],
    ]);
  });

  it('looks names up case-insensitively and keys the record by lower-cased names, duplicates joined', () => {
    const head = parseHead('GET / HTTP/1.1\r\nX-Trace: 1\r\nx-trace: 2\r\nContent-Length: 0\r\n\r\n', 'request');
    if (typeof head === 'string') {
      throw new Error(head);
    }
    expect(head.headers.get('X-TRACE')).toBe('1');
    expect(head.headers.getAll('x-trace')).toEqual(['1', '2']);
    expect(head.headers.toRecord()).toEqual({ 'x-trace': '1, 2', 'content-length': '0' });
  });

  it('keeps fields named like Object.prototype members as plain values', () => {
    const head = parseHead('GET / HTTP/1.1\r\nConstructor: a\r\ntoString: b\r\n\r\n', 'request');
    if (typeof head === 'string') {
      throw new Error(head);
    }
    expect(head.headers.toRecord()).toEqual({ constructor: 'a', tostring: 'b' });
  });

  it('unfolds obs-fold continuations into the previous value', () => {
    expect(headerPairs('GET / HTTP/1.1\r\nX-Folded: a\r\n  b\r\n\tc\r\n\r\n')).toEqual([['X-Folded', 'a b c']]);
  });

  it.each([
    ['GET / HTTP/1.1\r\nBad Name: x\r\n\r\n', 'line 2 is not a header field'],
    ['GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n', 'line 3 is not a header field'],
    ['GET / HTTP/1.1\r\nno colon here\r\n\r\n', 'line 2 is not a header field'],
    ['GET / HTTP/1.1\r\n continuation\r\n\r\n', 'header continuation without a field on line 2'],
    ['GET /\r\n\r\n', 'not an HTTP/1 request line: "GET /"'],
  ])('names what is wrong in %j', (text, message) => {
    expect(parseHead(text, 'request')).toBe(message);
  });

  it('takes a request line with an extra version part as tshark does', () => {
    expect(parseHead('GET /tile.png HTTP/1.0.8\r\nHost: maps\r\n\r\n', 'request')).toMatchObject({
      kind: 'request',
      method: 'GET',
      target: '/tile.png',
      version: 'HTTP/1.0.8',
    });
    expect(parseHead('GET / HTTP/2.0\r\n\r\n', 'request')).toBe('not an HTTP/1 request line: "GET / HTTP/2.0"');
  });

  it('reads a status line and its reason', () => {
    const head = parseHead('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n', 'response');
    expect(head).toMatchObject({ kind: 'response', status: 503, reason: 'Service Unavailable', version: 'HTTP/1.1' });
    expect(parseHead('HTTP/2 200\r\n\r\n', 'response')).toBe('not an HTTP/1 status line: "HTTP/2 200"');
  });

  it('parses from bytes exactly as from text', () => {
    const text = 'POST /a?b=c HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\n\r\n';
    const bytes = Buffer.from(text, 'latin1');
    expect(parseHeadBytes(bytes, bytes.length, 'request')).toEqual(parseHead(text, 'request'));
  });
});
