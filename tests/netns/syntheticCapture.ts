// A synthetic stand-in for the harness capture (clearly labelled by its origin): keep-alive HTTP/1.1 exchanges with
// trace context, bulk uploads and DNS lookups, as Ethernet/IPv4 frames in a pcap file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethernetFrame, ipv4Packet, tcpSegment, TCP_FLAGS, udpDatagram } from '../../agent/testkit/packetBuilder';
import { writePcap, type FrameRecord } from '../../agent/testkit/captureWriter';
import type { LoadCapture } from './loadCapture';

const CLIENT = '10.244.1.2';
const SERVER = '10.244.2.2';
const DNS = '10.244.1.10';
const MSS = 1448;

function dnsQuery(id: number, name: string, response: boolean, nx: boolean): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  const question = [...labels, 0, 0, 1, 0, 1];
  const answer = response && !nx ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 244, 2, 2] : [];
  const flags = response ? 0x8180 | (nx ? 3 : 0) : 0x0100;
  const header = [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, 1, 0, answer.length ? 1 : 0, 0, 0, 0, 0];
  return Uint8Array.from([...header, ...question, ...answer]);
}

export function writeSyntheticCapture(targetPackets: number): LoadCapture {
  const frames: FrameRecord[] = [];
  let t = Date.now() * 1000;
  const push = (src: string, dst: string, seg: Uint8Array, proto = 6) => {
    t += 7;
    frames.push({ timeUs: t, data: ethernetFrame(ipv4Packet({ src, dst, protocol: proto }, seg)) });
  };
  let port = 30000;
  let dnsId = 1;
  while (frames.length < targetPackets) {
    const sport = port++ > 60000 ? (port = 30000) : port;
    let c = 1000;
    let s = 9000;
    push(CLIENT, SERVER, tcpSegment({ srcPort: sport, dstPort: 8080, seq: c, flags: TCP_FLAGS.SYN }));
    push(
      SERVER,
      CLIENT,
      tcpSegment({ srcPort: 8080, dstPort: sport, seq: s, ack: c + 1, flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK })
    );
    c++;
    s++;
    push(CLIENT, SERVER, tcpSegment({ srcPort: sport, dstPort: 8080, seq: c, ack: s, flags: TCP_FLAGS.ACK }));
    for (let i = 0; i < 20; i++) {
      const bodyBytes = i % 2 === 0 ? 24 * 1024 : 0;
      const trace = `00-${(dnsId * 7919 + i).toString(16).padStart(32, '0')}-${(i + 1).toString(16).padStart(16, '0')}-01`;
      const head = Buffer.from(
        `${bodyBytes ? 'POST' : 'GET'} /api/items HTTP/1.1\r\nHost: web\r\ntraceparent: ${trace}\r\nContent-Length: ${bodyBytes}\r\n\r\n`
      );
      push(
        CLIENT,
        SERVER,
        tcpSegment({
          srcPort: sport,
          dstPort: 8080,
          seq: c,
          ack: s,
          flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
          payload: head,
        })
      );
      c += head.length;
      for (let sent = 0; sent < bodyBytes; sent += MSS) {
        const chunk = new Uint8Array(Math.min(MSS, bodyBytes - sent)).fill(0x61);
        push(
          CLIENT,
          SERVER,
          tcpSegment({ srcPort: sport, dstPort: 8080, seq: c, ack: s, flags: TCP_FLAGS.ACK, payload: chunk })
        );
        c += chunk.length;
        if ((sent / MSS) % 2 === 1) {
          push(SERVER, CLIENT, tcpSegment({ srcPort: 8080, dstPort: sport, seq: s, ack: c, flags: TCP_FLAGS.ACK }));
        }
      }
      const response = Buffer.from(
        `HTTP/1.1 ${i % 10 === 0 ? 503 : 200} OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{"path":"/api/items","ok":true}`.slice(
          0,
          120
        )
      );
      push(
        SERVER,
        CLIENT,
        tcpSegment({
          srcPort: 8080,
          dstPort: sport,
          seq: s,
          ack: c,
          flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
          payload: response,
        })
      );
      s += response.length;
      push(CLIENT, SERVER, tcpSegment({ srcPort: sport, dstPort: 8080, seq: c, ack: s, flags: TCP_FLAGS.ACK }));
    }
    push(
      CLIENT,
      SERVER,
      tcpSegment({ srcPort: sport, dstPort: 8080, seq: c, ack: s, flags: TCP_FLAGS.FIN | TCP_FLAGS.ACK })
    );
    push(
      SERVER,
      CLIENT,
      tcpSegment({ srcPort: 8080, dstPort: sport, seq: s, ack: c + 1, flags: TCP_FLAGS.FIN | TCP_FLAGS.ACK })
    );
    push(CLIENT, SERVER, tcpSegment({ srcPort: sport, dstPort: 8080, seq: c + 1, ack: s + 1, flags: TCP_FLAGS.ACK }));
    const id = dnsId++ & 0xffff;
    const nx = id % 2 === 0;
    const name = nx ? `nope${id}.wt.test` : 'web.wt.test';
    push(
      CLIENT,
      DNS,
      udpDatagram({ srcPort: 40000 + (id % 20000), dstPort: 53, payload: dnsQuery(id, name, false, nx) }),
      17
    );
    push(
      DNS,
      CLIENT,
      udpDatagram({ srcPort: 53, dstPort: 40000 + (id % 20000), payload: dnsQuery(id, name, true, nx) }),
      17
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'wt-synthetic-'));
  const file = join(dir, 'synthetic.pcap');
  writeFileSync(file, writePcap(frames, { linkType: 1 }));
  return {
    file,
    packets: frames.length,
    kernelDrops: 0,
    origin: 'synthetic',
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
