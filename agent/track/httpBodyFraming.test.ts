import { bodyFraming, ChunkedBodyScanner } from './httpBodyFraming';
import type { HttpHead } from './httpMessageTypes';

const response = (status: number, headers: Record<string, string> = {}): HttpHead => ({
  kind: 'response',
  status,
  version: 'HTTP/1.1',
  headers,
});

describe('bodyFraming', () => {
  it('follows RFC 9112: no body for HEAD, 1xx, 204, 304; chunked beats length; close otherwise', () => {
    expect(bodyFraming(response(200, { 'content-length': '10' }), 'HEAD')).toEqual({ kind: 'none' });
    expect(bodyFraming(response(304, { 'content-length': '10' }))).toEqual({ kind: 'none' });
    expect(bodyFraming(response(200, { 'transfer-encoding': 'gzip, chunked', 'content-length': '3' }))).toEqual({
      kind: 'chunked',
    });
    expect(bodyFraming(response(200, { 'content-length': '7, 7' }))).toEqual({ kind: 'length', remaining: 7 });
    expect(bodyFraming(response(200))).toEqual({ kind: 'close' });
    expect(bodyFraming({ kind: 'request', method: 'GET', target: '/', version: 'HTTP/1.1', headers: {} })).toEqual({
      kind: 'none',
    });
  });

  it('refuses conflicting or malformed lengths', () => {
    expect(bodyFraming(response(200, { 'content-length': '5, 6' }))).toBeUndefined();
    expect(bodyFraming(response(200, { 'content-length': '-1' }))).toBeUndefined();
  });
});

describe('ChunkedBodyScanner', () => {
  it('finds the end of a chunked body split anywhere, with extensions and trailers', () => {
    const body = Buffer.from('4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT');
    for (let cut = 1; cut < body.length - 4; cut++) {
      const s = new ChunkedBodyScanner();
      const used = s.consume(body.subarray(0, cut), 0) + s.consume(body, cut);
      expect(s.done).toBe(true);
      expect(used).toBe(body.length - 4);
    }
  });

  it('marks a bad chunk size invalid instead of throwing', () => {
    const s = new ChunkedBodyScanner();
    s.consume(Buffer.from('zz\r\n'), 0);
    expect(s.invalid).toBe(true);
  });
});
