// A decoder that refills one packet object must hand out, frame by frame, exactly what a fresh decode would.
import { LINKTYPE } from '../sensors/captureFrame';
import { PacketDecoder } from './packetDecoder';
import type { DecodedPacket } from './packet';
import {
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  linuxCooked2Frame,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from '../testkit/packetBuilder';

const SYN_OPTIONS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7];
const TS_ONLY = [1, 1, 8, 10, 0x80, 0, 0, 1, 0, 0, 0, 9];

const vxlanSyn = () => {
  const inner = ethernetFrame(
    ipv4Packet(
      { src: '10.244.1.5', dst: '10.244.2.7', protocol: 6 },
      tcpSegment({ srcPort: 40000, dstPort: 8080, flags: TCP_FLAGS.SYN })
    )
  );
  const payload = new Uint8Array([0x08, 0, 0, 0, 0, 0, 42, 0, ...inner]);
  return ethernetFrame(
    ipv4Packet(
      { src: '192.168.0.11', dst: '192.168.0.12', protocol: 17 },
      udpDatagram({ srcPort: 51000, dstPort: 4789, payload })
    )
  );
};

// Every field a consumer can read, payload bytes included, in a form that outlives the packet object.
function snapshot(p: DecodedPacket | undefined) {
  if (!p) {
    return undefined;
  }
  const { tcp, udp, icmp, underlay } = p;
  const json = (p as unknown as { toJSON(): Record<string, unknown> }).toJSON();
  const fields = Object.fromEntries(
    Object.entries(json).filter(([k]) => !['tcp', 'udp', 'icmp', 'underlay'].includes(k))
  );
  return {
    fields,
    tcp: tcp && { ...tcp, options: { ...tcp.options } },
    udp: udp && { ...udp },
    icmp,
    underlay: underlay && { ...underlay },
    payload: [...p.payload],
  };
}

// Without its undefined entries: a reused options object keeps its keys, a fresh one has only those set.
function defined(o: object | undefined): object | undefined {
  return o && Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

describe('PacketDecoder reusing one packet object', () => {
  const frames: Array<[Uint8Array, number]> = [
    [
      ethernetFrame(
        ipv4Packet(
          { src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, ttl: 63 },
          tcpSegment({ srcPort: 40000, dstPort: 8080, seq: 0xfffffff0, flags: TCP_FLAGS.SYN, options: SYN_OPTIONS })
        )
      ),
      LINKTYPE.ETHERNET,
    ],
    [
      ethernetFrame(
        ipv4Packet(
          { src: '10.0.0.2', dst: '10.0.0.1', protocol: 6 },
          tcpSegment({
            srcPort: 8080,
            dstPort: 40000,
            seq: 7,
            ack: 0xfffffff1,
            flags: TCP_FLAGS.ACK,
            options: TS_ONLY,
            payload: new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\n'),
          })
        )
      ),
      LINKTYPE.ETHERNET,
    ],
    [
      ethernetFrame(
        ipv4Packet(
          { src: '10.0.0.1', dst: '10.0.0.2', protocol: 6 },
          tcpSegment({ srcPort: 40000, dstPort: 8080, flags: TCP_FLAGS.ACK })
        )
      ),
      LINKTYPE.ETHERNET,
    ],
    [vxlanSyn(), LINKTYPE.ETHERNET],
    [
      linuxCooked2Frame(
        ipv6Packet(
          { src: 'fd00::1', dst: 'fd00::2', protocol: 17 },
          udpDatagram({ srcPort: 5353, dstPort: 53, payload: new Uint8Array([1, 2, 3]) })
        ),
        3,
        4
      ),
      LINKTYPE.LINUX_SLL2,
    ],
    [ethernetFrame(new Uint8Array([0x45, 0, 0, 10])), LINKTYPE.ETHERNET],
    [
      ethernetFrame(
        ipv4Packet(
          { src: '10.0.0.3', dst: '10.0.0.4', protocol: 6 },
          tcpSegment({ srcPort: 1, dstPort: 2, flags: TCP_FLAGS.RST })
        )
      ),
      LINKTYPE.ETHERNET,
    ],
  ];

  it('hands out, frame after frame, the same fields, headers, options and payload a fresh decode gives', () => {
    const reusing = new PacketDecoder(undefined, { reusePackets: true });
    const fresh = new PacketDecoder();
    const handedOut = new Set<DecodedPacket>();
    frames.forEach(([frame, linkType], i) => {
      const got = reusing.decode(frame, linkType, 1_000 + i, frame.length);
      const want = fresh.decode(frame, linkType, 1_000 + i, frame.length);
      const g = snapshot(got);
      const w = snapshot(want);
      expect(g && { ...g, tcp: g.tcp && { ...g.tcp, options: defined(g.tcp.options) } }).toStrictEqual(
        w && { ...w, tcp: w.tcp && { ...w.tcp, options: defined(w.tcp.options) } }
      );
      if (got) {
        handedOut.add(got);
      }
    });
    expect(handedOut.size).toBe(1);
    expect(reusing.counters).toEqual(fresh.counters);
  });
});
