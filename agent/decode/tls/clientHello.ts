// The TLS ClientHello, read from the client's first bytes even when records and segments split it.
import { TlsHandshakeAssembler } from './handshakeAssembler';
import { isGrease, tlsVersionName } from './tlsVersions';

export interface TlsClientHello {
  sni?: string;
  legacyVersion: string;
  // From the supported_versions extension, GREASE removed; empty when the client did not send it.
  supportedVersions: string[];
  // The highest version offered: what the event shows.
  version: string;
  tls13: boolean;
  alpn: string[];
}

export type ClientHelloResult =
  { status: 'need-more' } | { status: 'not-tls'; reason: string } | { status: 'ok'; hello: TlsClientHello };

const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const EXT_SUPPORTED_VERSIONS = 43;

export class TlsClientHelloParser {
  private readonly assembler = new TlsHandshakeAssembler(HANDSHAKE_CLIENT_HELLO, 'ClientHello');
  private result: ClientHelloResult = { status: 'need-more' };

  get current(): ClientHelloResult {
    return this.result;
  }

  push(bytes: Uint8Array): ClientHelloResult {
    if (this.result.status !== 'need-more') {
      return this.result;
    }
    const handshake = this.assembler.push(bytes);
    if (handshake.status === 'ok') {
      const hello = parseClientHelloBody(handshake.body);
      this.result = typeof hello === 'string' ? { status: 'not-tls', reason: hello } : { status: 'ok', hello };
    } else {
      this.result = handshake;
    }
    return this.result;
  }
}

// Returns a reason when the body is not a well-formed ClientHello.
export function parseClientHelloBody(b: Uint8Array): TlsClientHello | string {
  let o = 0;
  const need = (n: number) => o + n <= b.length;
  if (!need(35)) {
    return 'ClientHello shorter than version + random';
  }
  const legacy = (b[0] << 8) | b[1];
  o = 34;
  o += 1 + b[o];
  if (!need(2)) {
    return 'ClientHello cut in session id';
  }
  o += 2 + ((b[o] << 8) | b[o + 1]);
  if (!need(1)) {
    return 'ClientHello cut in cipher suites';
  }
  o += 1 + b[o];
  if (o > b.length) {
    return 'ClientHello cut in compression methods';
  }
  const hello: TlsClientHello = {
    legacyVersion: tlsVersionName(legacy),
    supportedVersions: [],
    version: tlsVersionName(legacy),
    tls13: false,
    alpn: [],
  };
  if (o === b.length) {
    // SSL 3.0-era hellos have no extensions at all.
    return hello;
  }
  if (!need(2)) {
    return 'ClientHello cut in extensions length';
  }
  const end = Math.min(b.length, o + 2 + ((b[o] << 8) | b[o + 1]));
  o += 2;
  let best = legacy;
  while (o + 4 <= end) {
    const type = (b[o] << 8) | b[o + 1];
    const length = (b[o + 2] << 8) | b[o + 3];
    const data = o + 4;
    if (data + length > end) {
      return `extension ${type} runs past the ClientHello`;
    }
    if (type === EXT_SERVER_NAME) {
      hello.sni = serverName(b, data, data + length);
    } else if (type === EXT_SUPPORTED_VERSIONS && length >= 1) {
      for (let v = data + 1; v + 2 <= Math.min(data + 1 + b[data], data + length); v += 2) {
        const version = (b[v] << 8) | b[v + 1];
        if (!isGrease(version)) {
          hello.supportedVersions.push(tlsVersionName(version));
          best = Math.max(best, version);
        }
      }
    } else if (type === EXT_ALPN && length >= 2) {
      for (let p = data + 2; p < data + length && p + 1 + b[p] <= data + length; p += 1 + b[p]) {
        hello.alpn.push(Buffer.from(b.buffer, b.byteOffset + p + 1, b[p]).toString('latin1'));
      }
    }
    o = data + length;
  }
  hello.version = tlsVersionName(best);
  hello.tls13 = best === 0x0304;
  return hello;
}

function serverName(b: Uint8Array, o: number, end: number): string | undefined {
  if (o + 2 > end) {
    return undefined;
  }
  const listEnd = Math.min(end, o + 2 + ((b[o] << 8) | b[o + 1]));
  for (let p = o + 2; p + 3 <= listEnd;) {
    const nameType = b[p];
    const length = (b[p + 1] << 8) | b[p + 2];
    if (p + 3 + length > listEnd) {
      return undefined;
    }
    if (nameType === 0) {
      return Buffer.from(b.buffer, b.byteOffset + p + 3, length).toString('latin1');
    }
    p += 3 + length;
  }
  return undefined;
}
