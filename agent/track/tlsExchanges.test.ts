// The TLS observer on scripted connections: negotiation details, handshake failures, and encrypted HTTP/1 exchanges
// timed phase by phase (TLS 1.3 session tickets and encrypted alerts told apart by their sizes).
import type { NetworkEvent } from '../../model/events';
import { alertRecord, applicationData, clientHello, serverHello, tlsRecord } from '../testkit/tlsRecords';
import { DnsLookupIndex } from './dnsLookupIndex';
import { TcpConversation, tcpPacket, trackConversation } from '../testkit/tcpConversation';
import { TCP_ACK, TCP_RST } from './tcpFlags';

const AES256 = 0x1302;
const client = { ip: '10.244.1.2', port: 45000 };
const server = { ip: '10.244.2.2', port: 443 };

function track(c: TcpConversation, endUs: number, dnsLookups?: DnsLookupIndex) {
  const { events, stats } = trackConversation(c, { endUs, dnsLookups });
  return { events, stats, of: (kind: NetworkEvent['kind']) => events.filter((e) => e.kind === kind) };
}

const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

// A TLS 1.3 connection as Node's https makes it: the client's CCS + Finished (69 bytes with SHA-384) + request in one
// segment, two session tickets in their own segment, then the response in two segments; a second request reuses it.
function tls13Conversation(): TcpConversation {
  const c = new TcpConversation(client, server);
  c.handshake(1_000_000, 40);
  c.clientSends(1_003_000, clientHello('shop.test', ['http/1.1']));
  c.serverSends(
    1_013_000,
    cat(serverHello(AES256, true), tlsRecord(20, 1), applicationData(122), applicationData(700))
  );
  c.clientSends(1_015_800, cat(tlsRecord(20, 1), applicationData(69), applicationData(82)));
  c.serverSends(1_020_500, cat(applicationData(282), applicationData(282)));
  c.serverSends(1_027_700, applicationData(16401));
  c.serverSends(1_028_100, applicationData(3759));
  c.clientSends(1_032_500, applicationData(82));
  c.serverSends(1_038_600, applicationData(400));
  c.serverSends(1_042_500, applicationData(19));
  c.close(1_043_000);
  return c;
}

describe('TLS negotiation and encrypted exchanges', () => {
  it('reports version, cipher, SNI, offered ALPN and the handshake from ClientHello to the first data', () => {
    const { of } = track(tls13Conversation(), 1_100_000);
    expect(of('tls')).toEqual([
      expect.objectContaining({
        time: 1_003_000,
        endTime: 1_015_800,
        tls: {
          sni: 'shop.test',
          version: 'TLS 1.3',
          cipher: 'TLS_AES_256_GCM_SHA384',
          cipherSuite: AES256,
          offeredAlpn: ['http/1.1'],
          handshakeUs: 12_800,
        },
      }),
    ]);
  });

  it('times each exchange: connect, TLS and first-byte phases on the fresh one, a reused one without them', () => {
    const { of } = track(tls13Conversation(), 1_100_000);
    const [first, second] = of('http');
    expect(of('http')).toHaveLength(2);
    expect(first.http).toMatchObject({ encrypted: true, host: 'shop.test', method: '', path: '' });
    expect(first.http?.timing).toEqual({
      reused: false,
      phases: [
        { phase: 'connect', startUs: 1_000_000, endUs: 1_000_020 },
        { phase: 'tls', startUs: 1_003_000, endUs: 1_015_800 },
        { phase: 'request', startUs: 1_015_800, endUs: 1_015_800 },
        // The tickets at 1_020_500 are not the response.
        { phase: 'ttfb', startUs: 1_015_800, endUs: 1_027_700 },
        { phase: 'transfer', startUs: 1_027_700, endUs: 1_028_100 },
      ],
    });
    expect(second.http?.timing).toEqual({
      reused: true,
      phases: [
        { phase: 'connect', startUs: 1_032_500, endUs: 1_032_500 },
        { phase: 'request', startUs: 1_032_500, endUs: 1_032_500 },
        // The close_notify (an encrypted 19-byte record) is not part of the response.
        { phase: 'ttfb', startUs: 1_032_500, endUs: 1_038_600 },
        { phase: 'transfer', startUs: 1_038_600, endUs: 1_038_600 },
      ],
    });
  });

  it("starts the first exchange with the client's DNS lookup that answered with the server address", () => {
    const lookups = new DnsLookupIndex();
    lookups.note({
      kind: 'dns',
      time: 990_000,
      endTime: 995_000,
      transport: 'udp',
      src: { ip: client.ip, port: 5353 },
      dst: { ip: '10.96.0.10', port: 53 },
      source: 'pcap',
      dns: { id: 1, query: 'shop.test.', qtype: 'A', rcode: 'NOERROR', answers: [server.ip], answered: true },
    });
    const [first, second] = track(tls13Conversation(), 1_100_000, lookups).of('http');
    expect(first.http?.timing?.dnsQuery).toBe('shop.test');
    expect(first.http?.timing?.phases[0]).toEqual({ phase: 'dns', startUs: 990_000, endUs: 995_000 });
    expect(second.http?.timing?.phases.some((p) => p.phase === 'dns')).toBe(false);
  });

  it('reads the chosen ALPN of TLS 1.2 and reports a server alert during the handshake as its failure', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, clientHello('api.test', ['h2', 'http/1.1']));
    c.serverSends(1_002_000, cat(serverHello(0xc02f, false, 'h2'), tlsRecord(22, 300)));
    c.clientSends(1_003_000, alertRecord(48));
    c.close(1_004_000);
    const { of } = track(c, 1_100_000);
    expect(of('tls')).toEqual([
      expect.objectContaining({
        tls: expect.objectContaining({
          version: 'TLS 1.2',
          cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
          alpn: 'h2',
          failure: { reason: 'alert', by: 'client', alert: 'unknown_ca' },
        }),
      }),
    ]);
    expect(of('tls')[0].tls?.handshakeUs).toBeUndefined();
    expect(of('http')).toEqual([]);
  });

  it('reports a plaintext alert instead of a ServerHello and a reset during the handshake', () => {
    const refused = new TcpConversation(client, server);
    refused.handshake(1_000_000);
    refused.clientSends(1_001_000, clientHello('api.test', ['h2']));
    refused.serverSends(1_002_000, alertRecord(120));
    refused.close(1_003_000);
    expect(track(refused, 1_100_000).of('tls')[0].tls?.failure).toEqual({
      reason: 'alert',
      by: 'server',
      alert: 'no_application_protocol',
    });

    const reset = new TcpConversation(client, server);
    reset.handshake(1_000_000);
    reset.clientSends(1_001_000, clientHello('api.test', []));
    reset.packets.push(
      tcpPacket(1_002_000, server, client, { seq: reset.serverSeq, ack: reset.clientSeq, flags: TCP_RST | TCP_ACK })
    );
    expect(track(reset, 1_100_000).of('tls')[0].tls?.failure).toEqual({ reason: 'reset', by: 'server' });
  });

  it('counts bytes that stop being TLS records and never throws', () => {
    const c = new TcpConversation(client, server);
    c.handshake(1_000_000);
    c.clientSends(1_001_000, clientHello('api.test', []));
    c.serverSends(1_002_000, cat(serverHello(AES256, true), Uint8Array.from([0x99, 0x99, 0x99, 0x99, 0x99])));
    c.clientSends(1_003_000, 'GET / HTTP/1.1\r\n\r\n');
    c.close(1_004_000);
    const { of, stats } = track(c, 1_100_000);
    expect(stats.parseErrors).toBeGreaterThan(0);
    expect(of('tls')).toHaveLength(1);
    expect(of('http')).toEqual([]);
  });
});
