import { connect } from 'node:tls';
import { firstFlight } from '../../testkit/firstFlight';
import { TlsClientHelloParser } from './clientHello';

// The first flight Node's TLS client (OpenSSL) writes, captured without a network.
async function clientHelloBytes(options: {
  servername?: string;
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  alpn?: string[];
}): Promise<Uint8Array> {
  return firstFlight((socket) => {
    const tls = connect({
      socket,
      servername: options.servername,
      maxVersion: options.maxVersion,
      ALPNProtocols: options.alpn,
      rejectUnauthorized: false,
    });
    tls.on('error', () => undefined);
    return tls;
  });
}

describe('TlsClientHelloParser', () => {
  it('reads SNI, ALPN and TLS 1.3 from a real ClientHello split into 1-byte segments', async () => {
    const bytes = await clientHelloBytes({ servername: 'payments.prod.svc.cluster.local', alpn: ['h2', 'http/1.1'] });
    const parser = new TlsClientHelloParser();
    for (let i = 0; i < bytes.length - 1; i++) {
      expect(parser.push(bytes.subarray(i, i + 1)).status).toBe('need-more');
    }
    const result = parser.push(bytes.subarray(bytes.length - 1));
    expect(result).toEqual({
      status: 'ok',
      hello: {
        sni: 'payments.prod.svc.cluster.local',
        legacyVersion: 'TLS 1.2',
        supportedVersions: expect.arrayContaining(['TLS 1.3', 'TLS 1.2']),
        version: 'TLS 1.3',
        tls13: true,
        alpn: ['h2', 'http/1.1'],
      },
    });
  });

  it('sees a TLS 1.2-only client', async () => {
    const result = new TlsClientHelloParser().push(
      await clientHelloBytes({ servername: 'legacy.local', maxVersion: 'TLSv1.2' })
    );
    expect(result.status === 'ok' && result.hello).toMatchObject({
      sni: 'legacy.local',
      version: 'TLS 1.2',
      tls13: false,
    });
  });

  it('reassembles a ClientHello fragmented over two records', async () => {
    const bytes = await clientHelloBytes({ servername: 'split.local' });
    const body = bytes.subarray(5, 5 + ((bytes[3] << 8) | bytes[4]));
    const half = 40;
    const record = (part: Uint8Array) => Uint8Array.from([22, 3, 1, part.length >> 8, part.length & 0xff, ...part]);
    const result = new TlsClientHelloParser().push(
      Uint8Array.from([...record(body.subarray(0, half)), ...record(body.subarray(half))])
    );
    expect(result.status === 'ok' && result.hello.sni).toBe('split.local');
  });

  it('ignores records after the ClientHello (middlebox-compatible ChangeCipherSpec)', async () => {
    const bytes = await clientHelloBytes({ servername: 'ccs.local' });
    const withCcs = Uint8Array.from([...bytes, 20, 3, 3, 0, 1, 1]);
    const result = new TlsClientHelloParser().push(withCcs);
    expect(result.status === 'ok' && result.hello.sni).toBe('ccs.local');
  });

  it('says why bytes are not a ClientHello', () => {
    expect(new TlsClientHelloParser().push(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({
      status: 'not-tls',
      reason: 'record header 474554 is not a TLS handshake record',
    });
    expect(new TlsClientHelloParser().push(Uint8Array.from([22, 3, 3, 0, 4, 2, 0, 0, 0])).status).toBe('not-tls');
  });
});
