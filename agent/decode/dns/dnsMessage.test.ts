import { dnsAnswerTexts, parseDnsMessage, type DnsParseResult } from './dnsMessage';
import { DnsTcpStreamParser } from './dnsTcpStream';

function name(n: string): number[] {
  return [...n.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0];
}

function header(id: number, flags: number, qd: number, an: number): number[] {
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, 0, 0, 0];
}

function rr(nameBytes: number[], type: number, ttl: number, rdata: number[]): number[] {
  return [
    ...nameBytes,
    0,
    type,
    0,
    1,
    (ttl >>> 24) & 0xff,
    (ttl >> 16) & 0xff,
    (ttl >> 8) & 0xff,
    ttl & 0xff,
    rdata.length >> 8,
    rdata.length & 0xff,
    ...rdata,
  ];
}

// Response: api.example.com CNAME → web.example.com (compressed) A 10.0.1.100, SRV, AAAA, TXT.
const QNAME_OFFSET = 12;
const response = Uint8Array.from([
  ...header(0xbeef, 0x8180, 1, 5),
  ...name('api.example.com'),
  0,
  1,
  0,
  1,
  ...rr([0xc0, QNAME_OFFSET], 5, 300, [3, ...Buffer.from('web'), 0xc0, QNAME_OFFSET + 4]),
  ...rr([3, ...Buffer.from('web'), 0xc0, QNAME_OFFSET + 4], 1, 60, [10, 0, 1, 100]),
  ...rr([0xc0, QNAME_OFFSET], 28, 60, [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]),
  ...rr([0xc0, QNAME_OFFSET], 33, 60, [0, 10, 0, 5, 0x1f, 0x90, 0xc0, QNAME_OFFSET]),
  ...rr([0xc0, QNAME_OFFSET], 16, 60, [5, ...Buffer.from('hello'), 1, 0x21]),
]);

function ok(result: DnsParseResult) {
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result.message;
}

describe('parseDnsMessage', () => {
  it('reads a query', () => {
    const query = Uint8Array.from([...header(7, 0x0100, 1, 0), ...name('db.prod.svc.cluster.local'), 0, 33, 0, 1]);
    const m = ok(parseDnsMessage(query));
    expect(m).toMatchObject({ id: 7, isResponse: false, opcode: 'QUERY', recursionDesired: true, answers: [] });
    expect(m.questions).toEqual([{ name: 'db.prod.svc.cluster.local', type: 33, typeName: 'SRV', qclass: 1 }]);
  });

  it('renders CNAME, A, AAAA, SRV and TXT answers through compression pointers', () => {
    const m = ok(parseDnsMessage(response));
    expect(m).toMatchObject({ id: 0xbeef, isResponse: true, rcode: 'NOERROR', recursionAvailable: true });
    expect(m.answers.map((a) => [a.name, a.typeName, a.ttl, a.data])).toEqual([
      ['api.example.com', 'CNAME', 300, 'web.example.com'],
      ['web.example.com', 'A', 60, '10.0.1.100'],
      ['api.example.com', 'AAAA', 60, '2001:db8::1'],
      ['api.example.com', 'SRV', 60, '10 5 8080 api.example.com'],
      ['api.example.com', 'TXT', 60, 'hello!'],
    ]);
    expect(dnsAnswerTexts(m)).toHaveLength(5);
  });

  it('renders PTR, MX and NS answers and escapes odd label bytes', () => {
    const qname = name('7.0.0.10.in-addr.arpa');
    const message = Uint8Array.from([
      ...header(9, 0x8180, 1, 3),
      ...qname,
      0,
      12,
      0,
      1,
      ...rr([0xc0, 12], 12, 30, name('web-1.shop.svc.cluster.local')),
      ...rr([0xc0, 12], 15, 30, [0, 10, ...name('mail.example')]),
      ...rr([0xc0, 12], 2, 30, [4, 0x6e, 0x2e, 0x20, 0x31, 0]),
    ]);
    const m = ok(parseDnsMessage(message));
    expect(m.questions[0]).toMatchObject({ name: '7.0.0.10.in-addr.arpa', typeName: 'PTR' });
    expect(m.answers.map((a) => a.data)).toEqual(['web-1.shop.svc.cluster.local', '10 mail.example', 'n\\.\\0321']);
  });

  it('names response codes and unknown types', () => {
    const nx = Uint8Array.from([...header(1, 0x8183, 1, 0), ...name('nope.example'), 0xff, 0x00, 0, 1]);
    const m = ok(parseDnsMessage(nx));
    expect(m.rcode).toBe('NXDOMAIN');
    expect(m.questions[0].typeName).toBe('TYPE65280');
    expect(ok(parseDnsMessage(Uint8Array.from([...header(1, 0x8185, 0, 0)]))).rcode).toBe('REFUSED');
    expect(ok(parseDnsMessage(Uint8Array.from([...header(1, 0x8182, 0, 0)]))).rcode).toBe('SERVFAIL');
  });

  it('stops at a compression loop with a reason instead of spinning', () => {
    const loop = Uint8Array.from([...header(1, 0, 1, 0), 0xc0, 12, 0, 1, 0, 1]);
    expect(parseDnsMessage(loop)).toEqual({ ok: false, error: 'question 1: compression pointers loop at byte 12' });
  });

  it('keeps the answers before a cut and says where the cut was', () => {
    const m = ok(parseDnsMessage(response.subarray(0, response.length - 4)));
    expect(m.answers).toHaveLength(4);
    expect(m.incomplete).toMatch(/answer 5 data is cut/);
    expect(parseDnsMessage(response.subarray(0, 5))).toEqual({
      ok: false,
      error: 'DNS message is 5 bytes, shorter than its 12-byte header',
    });
  });
});

describe('DnsTcpStreamParser', () => {
  it('reassembles length-prefixed messages split and packed across segments', () => {
    const framed = Uint8Array.from([response.length >> 8, response.length & 0xff, ...response]);
    const stream = Uint8Array.from([...framed, ...framed]);
    const ids: number[] = [];
    const parser = new DnsTcpStreamParser((r) => ids.push(ok(r).id));
    for (let o = 0; o < stream.length; o += 7) {
      parser.push(stream.slice(o, o + 7));
    }
    expect(ids).toEqual([0xbeef, 0xbeef]);
  });

  it('gives up on a stream whose prefix cannot be DNS', () => {
    const errors: string[] = [];
    const parser = new DnsTcpStreamParser((r) => !r.ok && errors.push(r.error));
    parser.push(Buffer.from('\x00\x03abc'));
    expect(parser.notDns).toBe(true);
    expect(errors[0]).toMatch(/shorter than a DNS header/);
  });
});
