import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { connect, createSecureContext, TLSSocket } from 'node:tls';
import { TlsServerHelloParser } from './serverHello';

const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;
const withOpenssl = hasOpenssl ? describe : describe.skip;

// Two in-memory sockets joined back to back; what the server writes is recorded.
function socketPair(serverBytes: Buffer[]): [Duplex, Duplex] {
  let client: Duplex;
  let server: Duplex;
  client = new Duplex({
    read() {},
    write(chunk: Buffer, _e, done) {
      server.push(chunk);
      done();
    },
  });
  server = new Duplex({
    read() {},
    write(chunk: Buffer, _e, done) {
      serverBytes.push(chunk);
      client.push(chunk);
      done();
    },
  });
  return [client, server];
}

withOpenssl('TlsServerHelloParser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=tls.local',
    ],
    { stdio: 'ignore' }
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function serverFlight(maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<Buffer> {
    const serverBytes: Buffer[] = [];
    const [clientSide, serverSide] = socketPair(serverBytes);
    const secureContext = createSecureContext({ key: readFileSync(key), cert: readFileSync(cert) });
    const server = new TLSSocket(serverSide, { isServer: true, secureContext, ALPNProtocols: ['h2', 'http/1.1'] });
    const client = connect({
      socket: clientSide,
      servername: 'tls.local',
      rejectUnauthorized: false,
      maxVersion,
      ALPNProtocols: ['h2'],
    });
    server.on('error', () => undefined);
    client.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 150));
    client.destroy();
    server.destroy();
    return Buffer.concat(serverBytes);
  }

  it('reads the version a TLS 1.3 server chose from supported_versions, split byte by byte', async () => {
    const bytes = await serverFlight('TLSv1.3');
    const parser = new TlsServerHelloParser();
    let result = parser.push(bytes.subarray(0, 1));
    for (let i = 1; i < bytes.length && result.status === 'need-more'; i++) {
      result = parser.push(bytes.subarray(i, i + 1));
    }
    expect(result).toEqual({
      status: 'ok',
      hello: { version: 'TLS 1.3', tls13: true, cipherSuite: expect.any(Number), alpn: undefined },
    });
  });

  it('reads a TLS 1.2 ServerHello', async () => {
    const bytes = await serverFlight('TLSv1.2');
    const result = new TlsServerHelloParser().push(bytes);
    expect(result).toMatchObject({ status: 'ok', hello: { version: 'TLS 1.2', tls13: false, alpn: 'h2' } });
  });
});
