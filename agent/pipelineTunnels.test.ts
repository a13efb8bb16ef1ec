// A DNS exchange between pods on two nodes, captured on the node's underlay inside VXLAN, through the whole pipeline.
import type { NetworkEvent } from '../model/events';
import { PacketDecoder } from './decode/packetDecoder';
import { ethernetFrame, ipv4Packet, udpDatagram } from './testkit/packetBuilder';
import { PacketPipeline } from './pipeline';
import { LINKTYPE } from './sensors/captureFrame';
import { defaultTrackerOptions } from './track/trackerOptions';

function dnsQuery(id: number, name: string): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  return new Uint8Array([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, 0, 1, 0, 1]);
}

// The query turned into its answer: response flags, one A record pointing back at the question's name.
function dnsAnswer(query: Uint8Array): Uint8Array {
  const out = new Uint8Array([...query, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 96, 0, 7]);
  out[2] = 0x81;
  out[3] = 0x80;
  out[7] = 1;
  return out;
}

describe('the pipeline on an overlay underlay', () => {
  it('gives a DNS exchange between pods across a VXLAN overlay its underlay', () => {
    const pipeline = new PacketPipeline(defaultTrackerOptions({ source: 'pcap' }));
    const events: NetworkEvent[] = [];
    pipeline.addSink((e) => events.push(e));
    const query = dnsQuery(0x1234, 'payments.shop.svc.cluster.local');
    const dns = (src: string, dst: string, sport: number, dport: number, payload: Uint8Array) =>
      ethernetFrame(ipv4Packet({ src, dst, protocol: 17 }, udpDatagram({ srcPort: sport, dstPort: dport, payload })));
    const vxlan = (outerSrc: string, outerDst: string, inner: Uint8Array) =>
      ethernetFrame(
        ipv4Packet(
          { src: outerSrc, dst: outerDst, protocol: 17 },
          udpDatagram({ srcPort: 51000, dstPort: 8472, payload: new Uint8Array([0x08, 0, 0, 0, 0, 0, 1, 0, ...inner]) })
        )
      );
    const decoder = new PacketDecoder();
    const frames = [
      vxlan('192.168.0.11', '192.168.0.12', dns('10.244.1.5', '10.244.2.10', 40000, 53, query)),
      vxlan('192.168.0.12', '192.168.0.11', dns('10.244.2.10', '10.244.1.5', 53, 40000, dnsAnswer(query))),
    ];
    frames.forEach((f, i) =>
      pipeline.handlePacket(decoder.decode(f, LINKTYPE.ETHERNET, 1_000_000 + i * 100, f.length)!)
    );
    pipeline.flush();
    expect(events.filter((e) => e.kind === 'dns')).toEqual([
      expect.objectContaining({
        src: { ip: '10.244.1.5', port: 40000 },
        dst: { ip: '10.244.2.10', port: 53 },
        underlay: { srcIp: '192.168.0.11', dstIp: '192.168.0.12', encapsulation: 'vxlan' },
        dns: expect.objectContaining({ answered: true }),
      }),
    ]);
  });
});
