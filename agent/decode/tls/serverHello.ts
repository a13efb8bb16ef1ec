// The TLS ServerHello: which version the server actually chose (TLS 1.3 hides it in supported_versions).
import { TlsHandshakeAssembler } from './handshakeAssembler';
import { tlsVersionName } from './tlsVersions';

export interface TlsServerHello {
  version: string;
  tls13: boolean;
  cipherSuite: number;
  alpn?: string;
}

export type ServerHelloResult =
  { status: 'need-more' } | { status: 'not-tls'; reason: string } | { status: 'ok'; hello: TlsServerHello };

const HANDSHAKE_SERVER_HELLO = 2;
const EXT_ALPN = 16;
const EXT_SUPPORTED_VERSIONS = 43;

export class TlsServerHelloParser {
  private readonly assembler = new TlsHandshakeAssembler(HANDSHAKE_SERVER_HELLO, 'ServerHello');
  private result: ServerHelloResult = { status: 'need-more' };

  push(bytes: Uint8Array): ServerHelloResult {
    if (this.result.status !== 'need-more') {
      return this.result;
    }
    const handshake = this.assembler.push(bytes);
    if (handshake.status === 'ok') {
      const hello = parseServerHelloBody(handshake.body);
      this.result = typeof hello === 'string' ? { status: 'not-tls', reason: hello } : { status: 'ok', hello };
    } else {
      this.result = handshake;
    }
    return this.result;
  }
}

export function parseServerHelloBody(b: Uint8Array): TlsServerHello | string {
  if (b.length < 35) {
    return 'ServerHello shorter than version + random';
  }
  let version = (b[0] << 8) | b[1];
  let o = 35 + b[34];
  if (o + 3 > b.length) {
    return 'ServerHello cut before its cipher suite';
  }
  const cipherSuite = (b[o] << 8) | b[o + 1];
  o += 3;
  let alpn: string | undefined;
  if (o + 2 <= b.length) {
    const end = Math.min(b.length, o + 2 + ((b[o] << 8) | b[o + 1]));
    for (o += 2; o + 4 <= end;) {
      const type = (b[o] << 8) | b[o + 1];
      const length = (b[o + 2] << 8) | b[o + 3];
      const data = o + 4;
      if (data + length > end) {
        return `extension ${type} runs past the ServerHello`;
      }
      if (type === EXT_SUPPORTED_VERSIONS && length === 2) {
        version = (b[data] << 8) | b[data + 1];
      } else if (type === EXT_ALPN && length >= 3 && data + 3 + b[data + 2] <= data + length) {
        alpn = Buffer.from(b.buffer, b.byteOffset + data + 3, b[data + 2]).toString('latin1');
      }
      o = data + length;
    }
  }
  return { version: tlsVersionName(version), tls13: version === 0x0304, cipherSuite, alpn };
}
