import { connect, type ClientHttp2Session } from 'node:http2';
import { GRPC_CONTENT_TYPE_HUFFMAN, recognizeAppProtocol } from './appProtocol';
import { firstFlight } from '../testkit/firstFlight';

// The bytes Node's own HTTP/2 client (nghttp2's HPACK encoder) writes for one request, captured without a network.
async function h2ClientBytes(headers: Record<string, string>): Promise<Uint8Array> {
  return firstFlight((socket) => {
    const session: ClientHttp2Session = connect('http://grpc.local', { createConnection: () => socket });
    session.on('error', () => undefined);
    const req = session.request({ ':method': 'POST', ':path': '/pkg.Svc/Call', ...headers });
    req.on('error', () => undefined);
    req.end();
    return session;
  });
}

describe('recognizeAppProtocol', () => {
  it('labels an h2c connection carrying application/grpc as grpc', async () => {
    const bytes = Buffer.from(await h2ClientBytes({ 'content-type': 'application/grpc', te: 'trailers' }));
    // nghttp2 Huffman-codes the value: the plain text is absent and the coded form is what is recognised.
    expect(bytes.includes('application/grpc')).toBe(false);
    expect(bytes.includes(GRPC_CONTENT_TYPE_HUFFMAN)).toBe(true);
    expect(recognizeAppProtocol(bytes)).toBe('grpc');
    expect(recognizeAppProtocol(await h2ClientBytes({ 'content-type': 'application/grpc+proto' }))).toBe('grpc');
  });

  it('labels other h2c as http2', async () => {
    expect(recognizeAppProtocol(await h2ClientBytes({ 'content-type': 'application/json' }))).toBe('http2');
  });

  it('recognises TLS, HTTP/1 and waits for more on a partial preface', () => {
    expect(recognizeAppProtocol(Uint8Array.from([0x16, 3, 1, 0, 0xf4, 1, 0, 0]))).toBe('tls');
    expect(recognizeAppProtocol(Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n'))).toBe('http');
    expect(recognizeAppProtocol(Buffer.from('PRI * HTTP/2'))).toBe('need-more');
    expect(recognizeAppProtocol(Buffer.from('GET /heal'))).toBe('need-more');
    expect(recognizeAppProtocol(Buffer.from('\x00\x00\x12\x04'))).toBe('unknown');
    expect(recognizeAppProtocol(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'))).toBe('unknown');
  });
});
