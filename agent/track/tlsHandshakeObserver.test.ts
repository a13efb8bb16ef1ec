import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { TcpConversation, trackConversation } from '../testkit/tcpConversation';

// A real ClientHello from Node's TLS stack, caught by a plain TCP server on loopback.
async function captureClientHello(servername: string, alpn: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      socket.once('data', (data) => {
        resolve(data);
        socket.destroy();
        server.close();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const client = connect({ host: '127.0.0.1', port, servername, ALPNProtocols: alpn, rejectUnauthorized: false });
      client.on('error', () => undefined);
    });
    server.on('error', reject);
  });
}

describe('TLS connections', () => {
  it('report the SNI and offered version of a ClientHello and label h2 for gRPC-style ALPN', async () => {
    const hello = await captureClientHello('api.shop.example', ['h2', 'http/1.1']);
    const c = new TcpConversation({ ip: '10.244.1.2', port: 45000 }, { ip: '10.244.2.2', port: 443 });
    c.handshake(1_000_000);
    c.clientSends(1_001_000, hello);
    c.close(1_002_000);
    const { events } = trackConversation(c, { endUs: 1_003_000 });
    const tls = events.find((e) => e.kind === 'tls');
    expect(tls).toMatchObject({
      time: 1_001_000,
      tls: { sni: 'api.shop.example', version: 'TLS 1.3' },
      dst: { port: 443 },
    });
    expect(events.find((e) => e.kind === 'flow')?.flow?.appProtocol).toBe('tls/h2');
  });
});
