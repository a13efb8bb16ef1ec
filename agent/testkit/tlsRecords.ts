// TLS records and hello messages built byte by byte, for tests of the record reader and the handshake observer.

export function tlsRecord(contentType: number, body: Uint8Array | number, version = 0x0303): Uint8Array {
  const bytes = typeof body === 'number' ? new Uint8Array(body).fill(0xab) : body;
  const out = new Uint8Array(5 + bytes.length);
  out.set([contentType, version >> 8, version & 0xff, bytes.length >> 8, bytes.length & 0xff]);
  out.set(bytes, 5);
  return out;
}

function u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

function extension(type: number, data: number[]): number[] {
  return [...u16(type), ...u16(data.length), ...data];
}

function handshake(type: number, body: number[]): Uint8Array {
  return tlsRecord(22, Uint8Array.from([type, 0, body.length >> 8, body.length & 0xff, ...body]), 0x0301);
}

const latin1 = (s: string) => [...Buffer.from(s, 'latin1')];

// A ClientHello offering TLS 1.3 and 1.2, with SNI and ALPN.
export function clientHello(sni: string, alpn: string[]): Uint8Array {
  const name = latin1(sni);
  const sniExt = extension(0, [...u16(name.length + 3), 0, ...u16(name.length), ...name]);
  const protocols = alpn.flatMap((p) => [p.length, ...latin1(p)]);
  const alpnExt = extension(16, [...u16(protocols.length), ...protocols]);
  const versions = extension(43, [4, 0x03, 0x04, 0x03, 0x03]);
  const extensions = [...sniExt, ...alpnExt, ...versions];
  const body = [
    0x03,
    0x03,
    ...new Array<number>(32).fill(1),
    0,
    ...u16(4),
    0x13,
    0x01,
    0x13,
    0x02,
    1,
    0,
    ...u16(extensions.length),
    ...extensions,
  ];
  return handshake(1, body);
}

// A ServerHello choosing `suite`; TLS 1.3 says so in supported_versions, TLS 1.2 may name the ALPN protocol.
export function serverHello(suite: number, tls13: boolean, alpn?: string): Uint8Array {
  const extensions = [
    ...(tls13 ? extension(43, [0x03, 0x04]) : []),
    ...(alpn ? extension(16, [...u16(alpn.length + 1), alpn.length, ...latin1(alpn)]) : []),
  ];
  const body = [0x03, 0x03, ...new Array<number>(32).fill(2), 0, ...u16(suite), 0, ...u16(extensions.length), ...extensions];
  return handshake(2, body);
}

export const alertRecord = (description: number, level = 2) => tlsRecord(21, Uint8Array.from([level, description]));
export const applicationData = (length: number) => tlsRecord(23, length);
