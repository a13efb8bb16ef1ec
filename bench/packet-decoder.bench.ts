// Decoder alone: packets per second from a synthetic capture file (pcap reader + link/IP/transport decode),
// against tshark extracting addresses and ports from the same file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachDecodedPacket } from '../agent/decode/decodeCapture';
import {
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from '../agent/testkit/packetBuilder';
import { LINKTYPE } from '../agent/sensors/captureFrame';
import { writePcap, type FrameRecord } from '../agent/testkit/captureWriter';
import { report, round } from './lib/report';

const PACKETS = Number(process.env.WIRETRACE_BENCH_PACKETS ?? 1_000_000);
// tshark is ~100× slower: it reads a prefix of the same file and its rate is what is compared.
const PEER_PACKETS = Math.min(PACKETS, Number(process.env.WIRETRACE_BENCH_PEER_PACKETS ?? 100_000));

// A traffic mix: TCP data with timestamps, SYNs with options, DNS over UDP, some IPv6.
function syntheticFrames(count: number): FrameRecord[] {
  const body = new Uint8Array(200);
  const dns = udpDatagram({ srcPort: 40000, dstPort: 53, payload: new Uint8Array(40) });
  const frames: FrameRecord[] = [];
  for (let i = 0; i < count; i++) {
    const client = `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
    let ip: Uint8Array;
    if (i % 10 === 0) {
      ip = ipv4Packet({ src: client, dst: '10.96.0.10', protocol: 17 }, dns);
    } else if (i % 10 === 1) {
      const syn = tcpSegment({
        srcPort: 30000 + (i % 30000),
        dstPort: 8080,
        flags: TCP_FLAGS.SYN,
        options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7],
      });
      ip = ipv4Packet({ src: client, dst: '10.1.0.1', protocol: 6 }, syn);
    } else if (i % 10 === 2) {
      ip = ipv6Packet(
        { src: 'fd00::1', dst: 'fd00::2', protocol: 6 },
        tcpSegment({ srcPort: 443, dstPort: 50000, flags: TCP_FLAGS.ACK, payload: body })
      );
    } else {
      const seg = tcpSegment({
        srcPort: 30000 + (i % 30000),
        dstPort: 8080,
        seq: i,
        flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
        options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2],
        payload: body,
      });
      ip = ipv4Packet({ src: client, dst: '10.1.0.1', protocol: 6 }, seg);
    }
    frames.push({ timeUs: 1_763_700_000_000_000 + i * 10, data: ethernetFrame(ip) });
  }
  return frames;
}

async function runOurs(file: string): Promise<{ packets: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  let payloadBytes = 0;
  const { counters } = await forEachDecodedPacket(file, (p) => {
    payloadBytes += p.payloadLength ?? p.payload.length;
  });
  const used = process.cpuUsage(cpu);
  if (payloadBytes === 0) {
    throw new Error('decoder saw no payload');
  }
  return { packets: counters.packets, cpuSeconds: (used.user + used.system) / 1e6 };
}

function runTshark(file: string): number | null {
  const script =
    'tshark -r "$1" -n -T fields -e ip.src -e ip.dst -e tcp.srcport -e udp.srcport > /dev/null 2>&1 || exit 3; times';
  const child = spawnSync('bash', ['-c', script, 'bash', file], { encoding: 'utf8' });
  if (child.error || child.status !== 0) {
    process.stderr.write(`packet-decoder: tshark unavailable or failed\n`);
    return null;
  }
  const toSeconds = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, system] = (child.stdout.trim().split('\n')[1] ?? '').split(' ').map(toSeconds);
  return PEER_PACKETS / (user + system);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-decode-bench-'));
  try {
    const frames = syntheticFrames(PACKETS);
    const file = join(dir, 'synthetic.pcap');
    const peerFile = join(dir, 'synthetic-prefix.pcap');
    writeFileSync(file, writePcap(frames, { linkType: LINKTYPE.ETHERNET }));
    writeFileSync(peerFile, writePcap(frames.slice(0, PEER_PACKETS), { linkType: LINKTYPE.ETHERNET }));
    await runOurs(file);
    const ours = await runOurs(file);
    const oursPps = ours.packets / ours.cpuSeconds;
    process.stderr.write(`packet-decoder: ${ours.packets} packets in ${ours.cpuSeconds.toFixed(2)} s CPU\n`);
    const peerPps = runTshark(peerFile);
    report({
      bench: 'packet decoder (pcap → DecodedPacket), per CPU second',
      unit: 'pps',
      ours: Math.round(oursPps),
      peer: peerPps === null ? null : 'tshark -T fields',
      peerValue: peerPps === null ? null : Math.round(peerPps),
    });
    if (peerPps !== null) {
      report({
        bench: 'packet decoder speed-up over tshark',
        unit: 'x',
        ours: round(oursPps / peerPps),
        peer: 'tshark -T fields',
        peerValue: 1,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`packet-decoder: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
