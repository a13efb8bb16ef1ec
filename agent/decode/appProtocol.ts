// Which application protocol a connection speaks, from the first bytes the client sent.
import { startLooksLikeHttp } from './http1/http1HeadParser';

export type AppProtocol = 'http' | 'http2' | 'grpc' | 'tls';

export type AppProtocolGuess = AppProtocol | 'unknown' | 'need-more';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const GRPC_CONTENT_TYPE = Buffer.from('application/grpc', 'latin1');
// RFC 7541 Appendix B codes for the letters of "application/grpc": [code, bit length].
const HUFFMAN: Record<string, [number, number]> = {
  '/': [0x18, 6],
  a: [0x3, 5],
  c: [0x4, 5],
  g: [0x26, 6],
  i: [0x6, 5],
  l: [0x28, 6],
  n: [0x2a, 6],
  o: [0x7, 5],
  p: [0x2b, 6],
  r: [0x2c, 6],
  t: [0x9, 5],
};

// HPACK string literals start on a byte boundary, so a Huffman-coded value always begins with these whole bytes.
function huffmanPrefix(text: string): Buffer {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const [code, length] = HUFFMAN[ch];
    acc = (acc << length) | code;
    bits += length;
    while (bits >= 8) {
      out.push((acc >> (bits - 8)) & 0xff);
      bits -= 8;
      acc &= (1 << bits) - 1;
    }
  }
  return Buffer.from(out);
}

export const GRPC_CONTENT_TYPE_HUFFMAN = huffmanPrefix('application/grpc');

// h2c: the preface, then frames; gRPC if a HEADERS frame visibly carries its content type (plain or Huffman).
function http2Flavour(b: Uint8Array): AppProtocol {
  const rest = Buffer.from(b.buffer, b.byteOffset + H2_PREFACE.length, b.length - H2_PREFACE.length);
  return rest.includes(GRPC_CONTENT_TYPE) || rest.includes(GRPC_CONTENT_TYPE_HUFFMAN) ? 'grpc' : 'http2';
}

export function recognizeAppProtocol(clientBytes: Uint8Array): AppProtocolGuess {
  const b = clientBytes;
  if (b.length === 0) {
    return 'need-more';
  }
  if (b[0] === 0x16) {
    if (b.length < 6) {
      return 'need-more';
    }
    // Handshake record, version 3.x, carrying a ClientHello.
    return b[1] === 3 && b[2] <= 4 && b[5] === 1 ? 'tls' : 'unknown';
  }
  const prefaceBytes = Math.min(b.length, H2_PREFACE.length);
  if (H2_PREFACE.compare(b, 0, prefaceBytes, 0, prefaceBytes) === 0) {
    return b.length < H2_PREFACE.length ? 'need-more' : http2Flavour(b);
  }
  if (!startLooksLikeHttp(b, b.length, 'request')) {
    return 'unknown';
  }
  const lineEnd = b.indexOf(0x0a);
  if (lineEnd < 0) {
    return b.length < 8192 ? 'need-more' : 'unknown';
  }
  const line = Buffer.from(b.buffer, b.byteOffset, lineEnd).toString('latin1').trimEnd();
  return / HTTP\/1\.[01]$/.test(line) ? 'http' : 'unknown';
}

// The server's first bytes: a gRPC server's response HEADERS carry the same content type.
export function serverSpeaksGrpc(serverBytes: Uint8Array): boolean {
  const b = Buffer.from(serverBytes.buffer, serverBytes.byteOffset, serverBytes.length);
  return b.includes(GRPC_CONTENT_TYPE) || b.includes(GRPC_CONTENT_TYPE_HUFFMAN);
}
