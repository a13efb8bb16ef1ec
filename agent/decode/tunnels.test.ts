import { LINKTYPE } from '../sensors/captureFrame';
import { PacketDecoder } from './packetDecoder';
import { ethernetFrame, ipv4Packet, ipv6Packet, tcpSegment, TCP_FLAGS, udpDatagram } from '../testkit/packetBuilder';

const podSyn = () =>
  ipv4Packet(
    { src: '10.244.1.5', dst: '10.244.2.7', protocol: 6 },
    tcpSegment({ srcPort: 40000, dstPort: 8080, flags: TCP_FLAGS.SYN })
  );

function onNodes(protocol: number, body: Uint8Array): Uint8Array {
  return ethernetFrame(ipv4Packet({ src: '192.168.0.11', dst: '192.168.0.12', protocol }, body));
}

function decode(frame: Uint8Array) {
  const decoder = new PacketDecoder();
  const packet = decoder.decode(frame, LINKTYPE.ETHERNET, 1_000_000, frame.length);
  return { packet, counters: decoder.counters };
}

const header = (bytes: number[]) => new Uint8Array(bytes);

describe('overlay tunnels', () => {
  it.each([
    ['vxlan', 8472, [0x08, 0, 0, 0, 0, 0, 42, 0], ethernetFrame(podSyn())],
    ['vxlan', 4789, [0x08, 0, 0, 0, 0, 0, 42, 0], ethernetFrame(podSyn())],
    ['geneve', 6081, [0x01, 0, 0x65, 0x58, 0, 0, 43, 0, 0x01, 0x02, 0x80, 0x00], ethernetFrame(podSyn())],
  ] as const)(
    'decapsulates %s on UDP %i, keeping the pods and the nodes as the underlay',
    (kind, port, head, inner) => {
      const payload = new Uint8Array([...head, ...inner]);
      const { packet, counters } = decode(onNodes(17, udpDatagram({ srcPort: 51000, dstPort: port, payload })));
      expect(packet).toMatchObject({
        srcIp: '10.244.1.5',
        dstIp: '10.244.2.7',
        tcp: { srcPort: 40000, dstPort: 8080 },
        underlay: { srcIp: '192.168.0.11', dstIp: '192.168.0.12', encapsulation: kind },
      });
      expect(counters.packets).toBe(1);
    }
  );

  it.each([
    ['IPv4 with a key', [0x20, 0, 0x08, 0x00, 0, 0, 0, 9], podSyn()],
    [
      'IPv6',
      [0, 0, 0x86, 0xdd],
      ipv6Packet(
        { src: 'fd00::5', dst: 'fd00::7', protocol: 6 },
        tcpSegment({ srcPort: 40000, dstPort: 8080, flags: TCP_FLAGS.SYN })
      ),
    ],
    [
      'Ethernet (gretap) with checksum and sequence',
      [0x90, 0, 0x65, 0x58, 0, 0, 0, 0, 0, 0, 0, 1],
      ethernetFrame(podSyn()),
    ],
  ] as const)('decapsulates GRE carrying %s', (_what, head, inner) => {
    const { packet, counters } = decode(onNodes(47, new Uint8Array([...header([...head]), ...inner])));
    expect(packet?.tcp).toMatchObject({ srcPort: 40000, dstPort: 8080 });
    expect(packet?.underlay).toEqual({ srcIp: '192.168.0.11', dstIp: '192.168.0.12', encapsulation: 'gre' });
    expect(counters).toMatchObject({ packets: 1, unsupportedProtocol: 0 });
  });

  it('leaves ordinary UDP on a tunnel port, and a cut tunnel header, as the outer packet', () => {
    const dns = decode(onNodes(17, udpDatagram({ srcPort: 4789, dstPort: 53, payload: new Uint8Array(20) })));
    expect(dns.packet).toMatchObject({ srcIp: '192.168.0.11', udp: { dstPort: 53 } });
    expect(dns.packet?.underlay).toBeUndefined();
    const cut = decode(onNodes(17, udpDatagram({ srcPort: 1, dstPort: 4789, payload: new Uint8Array([0x08, 0, 0]) })));
    expect(cut.packet).toMatchObject({ srcIp: '192.168.0.11', udp: { dstPort: 4789 } });
  });
});
