// Over a million random and mutated inputs through every reader, decoder and parser: nothing may throw,
// and the counters must show the damage was seen.
import fc from 'fast-check';
import { connect } from 'node:tls';
import { LINKTYPE } from '../sensors/captureFrame';
import { CaptureFormatError } from '../sensors/captureErrors';
import { CaptureStreamParser } from '../sensors/captureStreamParser';
import { writePcap, writePcapng } from '../testkit/captureWriter';
import { recognizeAppProtocol } from './appProtocol';
import { parseDnsMessage } from './dns/dnsMessage';
import { DnsTcpStreamParser } from './dns/dnsTcpStream';
import { Http1StreamParser } from './http1/http1StreamParser';
import { PacketDecoder } from './packetDecoder';
import { firstFlight } from '../testkit/firstFlight';
import { TlsClientHelloParser } from './tls/clientHello';
import {
  bsdLoopbackFrame,
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  linuxCooked2Frame,
  linuxCookedFrame,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from '../testkit/packetBuilder';

const SEED = Number(process.env.WIRETRACE_FUZZ_SEED ?? 0x5eed);

// mulberry32: fast and reproducible, so a failure names the seed that finds it again.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dnsQuery = Uint8Array.from([
  0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x70, 0x69, 3, 0x73, 0x76, 0x63, 0, 0, 1, 0, 1,
]);
const dnsResponse = Uint8Array.from([
  ...[0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, 3, 0x61, 0x70, 0x69, 3, 0x73, 0x76, 0x63, 0, 0, 1, 0, 1],
  ...[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 0x77, 0x77, 0x77, 0xc0, 16],
  ...[0xc0, 37, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 7],
]);
const httpRequest = Buffer.from(
  'POST /v1/pay HTTP/1.1\r\nHost: pay\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nContent-Length: 5\r\n\r\nhello'
);
const httpChunked = Buffer.from(
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\nX-T: 1\r\n\r\n'
);

function seedFrames(): Array<{ linkType: number; bytes: Uint8Array }> {
  const tcpOpts = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7, 1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9];
  const syn = tcpSegment({ srcPort: 40000, dstPort: 80, flags: TCP_FLAGS.SYN, options: tcpOpts });
  const data = tcpSegment({ srcPort: 40000, dstPort: 80, flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH, payload: httpRequest });
  const dns = udpDatagram({ srcPort: 5353, dstPort: 53, payload: dnsResponse });
  const v4 = (proto: number, body: Uint8Array, extra = {}) =>
    ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: proto, ...extra }, body);
  const v6 = (proto: number, body: Uint8Array) =>
    ipv6Packet(
      {
        src: 'fd00::1',
        dst: 'fd00::2',
        protocol: proto,
        extensions: [
          [0, [0, 1, 4, 0, 0, 0, 0]],
          [44, [0, 0, 1, 0, 0, 0, 9]],
          [60, [0, 1, 4, 0, 0, 0, 0]],
        ],
      },
      body
    );
  const icmp4 = Uint8Array.from([3, 13, 0, 0, 0, 0, 0, 0, ...v4(6, syn).subarray(0, 28)]);
  const icmp6 = Uint8Array.from([
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...ipv6Packet({ src: 'fd00::1', dst: 'fd00::2', protocol: 17 }, dns).subarray(0, 48),
  ]);
  return [
    { linkType: LINKTYPE.ETHERNET, bytes: ethernetFrame(v4(6, syn)) },
    { linkType: LINKTYPE.ETHERNET, bytes: ethernetFrame(v4(6, data, { options: [0x94, 4, 0, 0] }), [10, 20]) },
    { linkType: LINKTYPE.ETHERNET, bytes: ethernetFrame(v4(17, dns, { moreFragments: true })) },
    { linkType: LINKTYPE.ETHERNET, bytes: ethernetFrame(v6(6, data)) },
    { linkType: LINKTYPE.LINUX_SLL, bytes: linuxCookedFrame(v4(1, icmp4)) },
    {
      linkType: LINKTYPE.LINUX_SLL2,
      bytes: linuxCooked2Frame(ipv6Packet({ src: 'fd00::2', dst: 'fd00::1', protocol: 58 }, icmp6), 3),
    },
    { linkType: LINKTYPE.RAW, bytes: v6(17, dns) },
    { linkType: LINKTYPE.NULL, bytes: bsdLoopbackFrame(v4(17, dns)) },
  ];
}

type Mutator = (src: Uint8Array, rand: () => number) => Uint8Array;

// Bit flips, truncation, length fields that lie, or plain noise.
const mutate: Mutator = (src, rand) => {
  const r = rand();
  if (r < 0.1) {
    return Uint8Array.from({ length: Math.floor(rand() * 120) }, () => (rand() * 256) | 0);
  }
  const out = src.slice();
  if (r < 0.4) {
    const flips = 1 + ((rand() * 4) | 0);
    for (let i = 0; i < flips; i++) {
      out[(rand() * out.length) | 0] ^= 1 << ((rand() * 8) | 0);
    }
    return out;
  }
  if (r < 0.6) {
    return out.subarray(0, (rand() * out.length) | 0);
  }
  // Overwrite a byte or two near the front, where headers and their length fields live.
  const at = (rand() * Math.min(out.length, 80)) | 0;
  out[at] = (rand() * 256) | 0;
  if (at + 1 < out.length && rand() < 0.5) {
    out[at + 1] = rand() < 0.5 ? 0xff : 0;
  }
  return out;
};

async function tlsClientHello(): Promise<Uint8Array> {
  return firstFlight((socket) => {
    const tls = connect({ socket, servername: 'fuzz.local', ALPNProtocols: ['h2'] });
    tls.on('error', () => undefined);
    return tls;
  });
}

describe(`decoders under fuzzing (seed ${SEED})`, () => {
  it('decodes a million mutated and random frames without throwing, counting the damage', () => {
    const rand = prng(SEED);
    const seeds = seedFrames();
    const decoder = new PacketDecoder();
    const linkTypes = [0, 1, 12, 101, 113, 228, 229, 276, 147];
    let decoded = 0;
    let payloadBytes = 0;
    const total = 1_000_000;
    for (let i = 0; i < total; i++) {
      const seed = seeds[i % seeds.length];
      const bytes = mutate(seed.bytes, rand);
      const linkType = rand() < 0.05 ? linkTypes[(rand() * linkTypes.length) | 0] : seed.linkType;
      const packet = decoder.decodeRange(bytes, 0, bytes.length, linkType, i, bytes.length);
      if (packet) {
        decoded++;
        payloadBytes += packet.payload.length;
      }
    }
    const c = decoder.counters;
    expect(c.packets).toBe(total);
    expect(decoded).toBeGreaterThan(total / 4);
    expect(payloadBytes).toBeGreaterThan(0);
    expect(c.malformed).toBeGreaterThan(1000);
    expect(c.truncated).toBeGreaterThan(1000);
    expect(c.unsupportedLinkType).toBeGreaterThan(100);
    expect(c.unsupportedProtocol).toBeGreaterThan(100);
    expect(c.fragments).toBeGreaterThan(100);
  });

  it('reads mutated pcap and pcapng captures in random chunks, reporting errors instead of throwing', () => {
    const rand = prng(SEED + 1);
    const frames = seedFrames().map((f, i) => ({ timeUs: 1e15 + i, data: f.bytes }));
    const pcap = writePcap(frames, { linkType: LINKTYPE.ETHERNET, littleEndian: false, nanoseconds: true });
    const pcapng = writePcapng([{ linkType: LINKTYPE.ETHERNET, name: 'eth0', tsresol: 9 }], frames);
    const decoder = new PacketDecoder();
    let errors = 0;
    let delivered = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = mutate(i % 2 === 0 ? pcap : pcapng, rand);
      const parser = new CaptureStreamParser({
        raw: (buf, start, end, timeUs, wireLength, linkType) => {
          delivered++;
          decoder.decodeRange(buf, start, end, linkType, timeUs, wireLength);
        },
      });
      for (let o = 0; o < bytes.length;) {
        const step = 1 + ((rand() * 64) | 0);
        parser.push(bytes.subarray(o, o + step));
        o += step;
      }
      const error = parser.end();
      if (error) {
        expect(error).toBeInstanceOf(CaptureFormatError);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(1000);
    expect(delivered).toBeGreaterThan(20_000);
  });

  it('parses mutated DNS, HTTP/1 and TLS input without throwing', async () => {
    const rand = prng(SEED + 2);
    const hello = await tlsClientHello();
    let dnsFailures = 0;
    let notHttp = 0;
    let notTls = 0;
    for (let i = 0; i < 100_000; i++) {
      const result = parseDnsMessage(mutate(i % 2 ? dnsResponse : dnsQuery, rand));
      dnsFailures += result.ok ? 0 : 1;
    }
    const tcpDns = new DnsTcpStreamParser(() => undefined);
    for (let i = 0; i < 2000; i++) {
      const m = mutate(dnsResponse, rand);
      tcpDns.push(Uint8Array.from([m.length >> 8, m.length & 0xff, ...m]));
    }
    for (let i = 0; i < 20_000; i++) {
      const role = i % 2 ? 'request' : 'response';
      const parser = new Http1StreamParser({ role, onMessage: () => undefined, maxBodyBytes: rand() < 0.5 ? 0 : 16 });
      const bytes = mutate(role === 'request' ? httpRequest : httpChunked, rand);
      for (let o = 0; o < bytes.length;) {
        const step = 1 + ((rand() * 32) | 0);
        parser.push(bytes.subarray(o, o + step), o);
        o += step;
      }
      parser.end(bytes.length);
      notHttp += parser.notHttp ? 1 : 0;
      recognizeAppProtocol(bytes);
    }
    for (let i = 0; i < 20_000; i++) {
      const parser = new TlsClientHelloParser();
      const bytes = mutate(hello, rand);
      notTls += parser.push(bytes).status === 'not-tls' ? 1 : 0;
      recognizeAppProtocol(bytes);
    }
    expect(dnsFailures).toBeGreaterThan(1000);
    expect(notHttp).toBeGreaterThan(1000);
    expect(notTls).toBeGreaterThan(1000);
  });

  it('holds for arbitrary byte strings (property)', () => {
    const decoder = new PacketDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 300 }), (bytes, linkType) => {
        decoder.decodeRange(bytes, 0, bytes.length, linkType, 0, bytes.length);
        parseDnsMessage(bytes);
        new TlsClientHelloParser().push(bytes);
        recognizeAppProtocol(bytes);
        const parser = new Http1StreamParser({ role: 'request', onMessage: () => undefined });
        parser.push(bytes, 0);
        parser.end(1);
        const capture = new CaptureStreamParser(() => undefined);
        capture.push(bytes);
        capture.end();
      }),
      { numRuns: 5000, seed: SEED }
    );
    expect(decoder.counters.packets).toBe(5000);
  });
});
