// The time decomposition of cleartext HTTP/1 exchanges: fresh connection, then keep-alive reuse.
import { TcpConversation, trackConversation } from '../testkit/tcpConversation';

describe('HTTP/1 exchange timing', () => {
  it('gives the first exchange its connect phase and marks the second as reused', () => {
    const c = new TcpConversation({ ip: '10.244.1.2', port: 45000 }, { ip: '10.244.2.2', port: 8080 });
    c.handshake(1_000_000, 200);
    c.clientSends(1_001_000, 'POST /a HTTP/1.1\r\nHost: web\r\nContent-Length: 4\r\n\r\n');
    c.clientSends(1_001_500, 'body');
    c.serverSends(1_004_000, 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab');
    c.serverSends(1_004_700, 'cdef');
    c.clientSends(1_010_000, 'GET /b HTTP/1.1\r\nHost: web\r\n\r\n');
    c.serverSends(1_012_000, 'HTTP/1.1 204 No Content\r\n\r\n');
    c.close(1_020_000);
    const { events } = trackConversation(c, { endUs: 1_100_000 });
    const [first, second] = events.filter((e) => e.kind === 'http');
    expect(first.http?.timing).toEqual({
      reused: false,
      phases: [
        { phase: 'connect', startUs: 1_000_000, endUs: 1_000_100 },
        { phase: 'request', startUs: 1_001_000, endUs: 1_001_500 },
        { phase: 'ttfb', startUs: 1_001_500, endUs: 1_004_000 },
        { phase: 'transfer', startUs: 1_004_000, endUs: 1_004_700 },
      ],
    });
    expect(second.http?.timing).toEqual({
      reused: true,
      phases: [
        { phase: 'connect', startUs: 1_010_000, endUs: 1_010_000 },
        { phase: 'request', startUs: 1_010_000, endUs: 1_010_000 },
        { phase: 'ttfb', startUs: 1_010_000, endUs: 1_012_000 },
        { phase: 'transfer', startUs: 1_012_000, endUs: 1_012_000 },
      ],
    });
  });
});
