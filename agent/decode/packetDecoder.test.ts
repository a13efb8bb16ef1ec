import { LINKTYPE } from '../sensors/captureFrame';
import { PacketDecoder } from './packetDecoder';
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

const TEXT = new TextEncoder();

function decode(frame: Uint8Array, linkType: number = LINKTYPE.ETHERNET) {
  const decoder = new PacketDecoder();
  return { packet: decoder.decode(frame, linkType, 42, frame.length), counters: decoder.counters };
}

const SYN_OPTIONS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7];
const syn = tcpSegment({ srcPort: 40000, dstPort: 8080, seq: 0xfffffff0, flags: TCP_FLAGS.SYN, options: SYN_OPTIONS });

describe('PacketDecoder', () => {
  it('decodes Ethernet / IPv4 / TCP with MSS, window scale, SACK-permitted and timestamps', () => {
    const { packet, counters } = decode(
      ethernetFrame(ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, ttl: 63 }, syn))
    );
    expect(packet).toMatchObject({
      ipVersion: 4,
      srcIp: '10.0.0.1',
      dstIp: '10.0.0.2',
      protocol: 6,
      ttl: 63,
      fragment: false,
      timeUs: 42,
    });
    expect(packet?.tcp).toMatchObject({
      srcPort: 40000,
      dstPort: 8080,
      seq: 0xfffffff0,
      flags: TCP_FLAGS.SYN,
      window: 65535,
    });
    expect(packet?.tcp?.options).toEqual({ mss: 1460, sackPermitted: true, tsVal: 7, tsEcr: 0, windowScale: 7 });
    expect(packet?.payload.length).toBe(0);
    expect(counters).toMatchObject({ packets: 1, malformed: 0, truncated: 0 });
  });

  it('reads SACK blocks and the TCP payload, ignoring Ethernet padding', () => {
    const sack = [1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40];
    const seg = tcpSegment({ srcPort: 1, dstPort: 2, flags: TCP_FLAGS.ACK, options: sack, payload: TEXT.encode('hi') });
    const frame = ethernetFrame(ipv4Packet({ src: '1.2.3.4', dst: '5.6.7.8', protocol: 6 }, seg));
    const padded = new Uint8Array(frame.length + 6);
    padded.set(frame);
    const { packet } = decode(padded);
    expect(packet?.tcp?.options.sack).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(new TextDecoder().decode(packet?.payload)).toBe('hi');
  });

  it('keeps the outer VLAN id of 802.1ad + 802.1Q tagged frames', () => {
    const ip = ipv4Packet(
      { src: '10.1.1.1', dst: '10.1.1.2', protocol: 17 },
      udpDatagram({ srcPort: 5353, dstPort: 53 })
    );
    const { packet } = decode(ethernetFrame(ip, [100, 200]));
    expect(packet?.vlan).toBe(100);
    expect(packet?.udp).toEqual({ srcPort: 5353, dstPort: 53 });
  });

  it('skips IPv4 header options', () => {
    const ip = ipv4Packet(
      { src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, options: [0x94, 4, 0, 0, 1, 1, 1, 0] },
      udpDatagram({ srcPort: 7, dstPort: 9, payload: TEXT.encode('x') })
    );
    const { packet } = decode(ethernetFrame(ip));
    expect(packet?.udp).toEqual({ srcPort: 7, dstPort: 9 });
    expect(Array.from(packet?.payload ?? [])).toEqual([0x78]);
  });

  it('counts fragments, decodes the first one and passes later ones without a transport header', () => {
    const decoder = new PacketDecoder();
    const first = ethernetFrame(
      ipv4Packet(
        { src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, moreFragments: true },
        udpDatagram({ srcPort: 1000, dstPort: 53 })
      )
    );
    const later = ethernetFrame(
      ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, fragmentOffset8: 185 }, TEXT.encode('rest of it'))
    );
    const a = decoder.decode(first, 1, 0, first.length);
    const b = decoder.decode(later, 1, 0, later.length);
    expect(a).toMatchObject({ fragment: false, udp: { srcPort: 1000, dstPort: 53 } });
    expect(b).toMatchObject({ fragment: true, udp: undefined, protocol: 17 });
    expect(b?.payload.length).toBe(10);
    expect(decoder.counters.fragments).toBe(2);
  });

  it('walks IPv6 hop-by-hop, routing, destination options and AH headers', () => {
    const ip = ipv6Packet(
      {
        src: '2001:db8::1',
        dst: 'fe80::2',
        protocol: 6,
        hopLimit: 9,
        extensions: [
          [0, [0, 1, 4, 0, 0, 0, 0]],
          [43, [0, 0, 0, 0, 0, 0, 0]],
          [51, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
          [60, [0, 1, 4, 0, 0, 0, 0]],
        ],
      },
      syn
    );
    const { packet } = decode(ethernetFrame(ip));
    expect(packet).toMatchObject({ ipVersion: 6, srcIp: '2001:db8::1', dstIp: 'fe80::2', protocol: 6, ttl: 9 });
    expect(packet?.tcp?.dstPort).toBe(8080);
  });

  it('decodes the first IPv6 fragment and marks later ones', () => {
    const first = ipv6Packet(
      { src: '::1', dst: '::1', protocol: 17, extensions: [[44, [0, 0, 1, 0, 0, 0, 1]]] },
      udpDatagram({ srcPort: 1, dstPort: 2 })
    );
    const later = ipv6Packet(
      { src: '::1', dst: '::1', protocol: 17, extensions: [[44, [0, 0x05, 0x00, 0, 0, 0, 1]]] },
      TEXT.encode('abc')
    );
    const decoder = new PacketDecoder();
    expect(decoder.decode(first, LINKTYPE.RAW, 0, first.length)).toMatchObject({
      fragment: false,
      udp: { dstPort: 2 },
    });
    expect(decoder.decode(later, LINKTYPE.RAW, 0, later.length)).toMatchObject({ fragment: true, udp: undefined });
    expect(decoder.counters.fragments).toBe(2);
  });

  it('reads the 5-tuple an ICMP "administratively prohibited" quotes', () => {
    const quoted = ipv4Packet({ src: '10.0.0.5', dst: '10.0.0.9', protocol: 6 }, syn).subarray(0, 28);
    const icmp = new Uint8Array(8 + quoted.length);
    icmp.set([3, 13], 0);
    icmp.set(quoted, 8);
    const { packet } = decode(ethernetFrame(ipv4Packet({ src: '10.0.0.9', dst: '10.0.0.5', protocol: 1 }, icmp)));
    expect(packet?.icmp).toEqual({
      version: 4,
      type: 3,
      code: 13,
      quoted: { protocol: 6, srcIp: '10.0.0.5', dstIp: '10.0.0.9', srcPort: 40000, dstPort: 8080 },
    });
  });

  it('reads the 5-tuple an ICMPv6 "communication administratively prohibited" quotes', () => {
    const quoted = ipv6Packet(
      { src: 'fd00::5', dst: 'fd00::9', protocol: 17 },
      udpDatagram({ srcPort: 3333, dstPort: 53 })
    );
    const icmp = new Uint8Array(8 + quoted.length);
    icmp.set([1, 1], 0);
    icmp.set(quoted, 8);
    const { packet } = decode(ipv6Packet({ src: 'fd00::9', dst: 'fd00::5', protocol: 58 }, icmp), LINKTYPE.IPV6);
    expect(packet?.icmp).toEqual({
      version: 6,
      type: 1,
      code: 1,
      quoted: { protocol: 17, srcIp: 'fd00::5', dstIp: 'fd00::9', srcPort: 3333, dstPort: 53 },
    });
  });

  it.each([
    ['Linux cooked v1', LINKTYPE.LINUX_SLL, (ip: Uint8Array) => linuxCookedFrame(ip, 4)],
    ['Linux cooked v2', LINKTYPE.LINUX_SLL2, (ip: Uint8Array) => linuxCooked2Frame(ip, 7, 4)],
    ['raw IP (101)', LINKTYPE.RAW, (ip: Uint8Array) => ip],
    ['raw IP (12)', LINKTYPE.RAW_BSD, (ip: Uint8Array) => ip],
    ['raw IPv4 (228)', LINKTYPE.IPV4, (ip: Uint8Array) => ip],
    ['BSD loopback, little-endian', LINKTYPE.NULL, (ip: Uint8Array) => bsdLoopbackFrame(ip, true)],
    ['BSD loopback, big-endian', LINKTYPE.NULL, (ip: Uint8Array) => bsdLoopbackFrame(ip, false)],
  ])('decodes %s', (_, linkType, wrap) => {
    const { packet } = decode(wrap(ipv4Packet({ src: '127.0.0.1', dst: '127.0.0.2', protocol: 6 }, syn)), linkType);
    expect(packet).toMatchObject({ srcIp: '127.0.0.1', dstIp: '127.0.0.2', tcp: { srcPort: 40000 } });
    if (linkType === LINKTYPE.LINUX_SLL2) {
      expect(packet).toMatchObject({ ifIndex: 7, outgoing: true, linkType: 'linux_sll2' });
    }
    if (linkType === LINKTYPE.NULL) {
      expect(packet?.linkType).toBe('null');
    }
  });

  it('formats IPv6 text the RFC 5952 way', () => {
    const cases = ['2001:db8::1', '::', '::1', 'fe80::1:0:0:2', '2001:db8:0:1:1:1:1:1', '1::', '::ffff:10.1.2.3'];
    for (const text of cases) {
      const ip = ipv6Packet(
        { src: text === '::ffff:10.1.2.3' ? '::ffff:a01:203' : text, dst: '::1', protocol: 59 },
        new Uint8Array(0)
      );
      expect(decode(ip, LINKTYPE.RAW).packet?.srcIp).toBe(text);
    }
  });

  it('counts instead of throwing on truncated, malformed and unknown input', () => {
    const decoder = new PacketDecoder();
    const good = ethernetFrame(ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6 }, syn));
    expect(decoder.decode(good.subarray(0, 40), 1, 0, good.length)).toBeUndefined();
    const badIhl = good.slice();
    badIhl[14] = 0x43;
    expect(decoder.decode(badIhl, 1, 0, good.length)).toBeUndefined();
    const arp = good.slice();
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(decoder.decode(arp, 1, 0, good.length)).toBeUndefined();
    expect(decoder.decode(good, 147, 0, good.length)).toBeUndefined();
    const badOption = good.slice();
    badOption[14 + 20 + 21] = 0;
    expect(decoder.decode(badOption, 1, 0, good.length)?.tcp?.options.mss).toBeUndefined();
    expect(decoder.counters).toEqual({
      packets: 5,
      truncated: 1,
      malformed: 2,
      unsupportedProtocol: 1,
      unsupportedLinkType: 1,
      fragments: 0,
    });
  });
});
