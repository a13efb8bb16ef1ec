// Decoder alone: packets per CPU-second from a synthetic 1M-packet capture (pcap reader + link/IP/transport decode),
// ours and tshark each timed as a whole process (start-up included) on the same file, tshark asked for the fields
// our DecodedPacket holds with its application dissectors and TCP analysis off, as ours stops at the transport
// layer. An untimed pass of each then prints one row per packet, and the two row lists are compared in full.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachDecodedPacket } from '../agent/decode/decodeCapture';
import type { DecodedPacket } from '../agent/decode/packet';
import { LINKTYPE } from '../agent/sensors/captureFrame';
import { writePcap, type FrameRecord } from '../agent/testkit/captureWriter';
import {
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  TCP_FLAGS,
  tcpSegment,
  udpDatagram,
} from '../agent/testkit/packetBuilder';
import { hasTshark, timeProcess } from './lib/processTimes';
import { report, round } from './lib/report';

const PACKETS = Number(process.env.WIRETRACE_BENCH_PACKETS ?? 1_000_000);
const GOAL_PPS = 3_000_000;

// The fields of a DecodedPacket, as tshark names them.
const TSHARK_FIELDS = [
  'ip.src',
  'ipv6.src',
  'ip.dst',
  'ipv6.dst',
  'tcp.srcport',
  'udp.srcport',
  'tcp.dstport',
  'udp.dstport',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'tcp.options.timestamp.tsval',
  'tcp.len',
  'udp.length',
];
const TSHARK_ARGS = [
  '-n',
  '-o',
  'tcp.analyze_sequence_numbers:FALSE',
  '-o',
  'tcp.desegment_tcp_streams:FALSE',
  '--disable-protocol',
  'dns',
  '--disable-protocol',
  'http',
  '-T',
  'fields',
  ...TSHARK_FIELDS.flatMap((f) => ['-e', f]),
];

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

// One packet as a comparable row: addresses, ports, TCP header fields, payload length.
function ourRow(p: DecodedPacket): string {
  const t = p.tcp;
  const u = p.udp;
  const payload = p.payloadLength ?? p.payload.length;
  return [
    p.srcIp,
    p.dstIp,
    t?.srcPort ?? u?.srcPort ?? '',
    t?.dstPort ?? u?.dstPort ?? '',
    t ? t.flags : '',
    t ? t.seq : '',
    t ? t.ack : '',
    t ? t.window : '',
    t?.options.mss ?? '',
    t?.options.tsVal ?? '',
    payload,
  ].join(' ');
}

function tsharkRow(line: string): string {
  const f = line.split('\t');
  const [ip4s, ip6s, ip4d, ip6d, tsp, usp, tdp, udp, flags, seq, ack, win, mss, tsval, tlen, ulen] = f;
  const isTcp = tsp !== '';
  return [
    ip4s || ip6s,
    ip4d || ip6d,
    tsp || usp,
    tdp || udp,
    isTcp ? Number(flags) : '',
    isTcp ? seq : '',
    isTcp ? ack : '',
    isTcp ? win : '',
    mss,
    tsval,
    isTcp ? tlen : ulen ? Number(ulen) - 8 : 0,
  ].join(' ');
}

// The measured process: decodes the file, touching every packet's payload length; --rows prints one row each.
async function decodeOnly(file: string, rows: boolean): Promise<void> {
  let payloadBytes = 0;
  const out: string[] = [];
  const { counters } = await forEachDecodedPacket(file, (p) => {
    payloadBytes += p.payloadLength ?? p.payload.length;
    if (rows) {
      out.push(ourRow(p));
    }
  });
  if (payloadBytes === 0) {
    throw new Error('decoder saw no payload');
  }
  process.stdout.write(rows ? out.join('\n') + '\n' : `${counters.packets}\n`);
}

function compareRows(dir: string, file: string): { same: boolean; detail: string } {
  const oursFile = join(dir, 'ours.rows');
  const peerFile = join(dir, 'tshark.rows');
  timeProcess([process.execPath, __filename, '--decode', file, '--rows'], oursFile);
  timeProcess(['tshark', '-r', file, ...TSHARK_ARGS], peerFile);
  const ours = readFileSync(oursFile, 'utf8').trimEnd().split('\n');
  const peer = readFileSync(peerFile, 'utf8').trimEnd().split('\n').map(tsharkRow);
  const n = Math.max(ours.length, peer.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] !== peer[i]) {
      return { same: false, detail: `packet ${i + 1}: ours "${ours[i]}" vs tshark "${peer[i]}"` };
    }
  }
  return { same: true, detail: `${n} packets` };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-decode-bench-'));
  try {
    const file = join(dir, 'synthetic.pcap');
    writeFileSync(file, writePcap(syntheticFrames(PACKETS), { linkType: LINKTYPE.ETHERNET }));
    const ours = timeProcess([process.execPath, __filename, '--decode', file]);
    const oursPps = PACKETS / ours.cpuSeconds;
    process.stderr.write(
      `packet-decoder: ours ${PACKETS} packets in ${ours.cpuSeconds.toFixed(2)} s CPU (whole process)\n`
    );
    if (!hasTshark()) {
      throw new Error('tshark is not installed (apt-get install tshark): it is the peer of this benchmark');
    }
    const tshark = timeProcess(['tshark', '-r', file, ...TSHARK_ARGS]);
    const peerPps = PACKETS / tshark.cpuSeconds;
    process.stderr.write(`packet-decoder: tshark ${tshark.cpuSeconds.toFixed(2)} s CPU\n`);
    const rows = compareRows(dir, file);
    process.stderr.write(`packet-decoder: rows ${rows.same ? 'agree' : 'differ'}: ${rows.detail}\n`);
    report({
      bench: `packet decoder ${PACKETS / 1e6}M packets (pcap → transport layer), per CPU-second`,
      unit: 'pps',
      ours: Math.round(oursPps),
      peer: 'tshark -T fields, transport-layer fields, dissectors above TCP/UDP off',
      peerValue: Math.round(peerPps),
      ratio: round(oursPps / peerPps, 1),
      goal: `≥ ${GOAL_PPS / 1e6}M pps`,
      met: oursPps >= GOAL_PPS,
      sameResult: rows.same,
      note:
        `both whole processes on the same file, start-up included; ${rows.detail} compared field by field ` +
        `(addresses, ports, TCP flags/seq/ack/window/MSS/TSval, payload length) in an untimed pass; ` +
        `tshark formats text rows, ours builds DecodedPacket objects`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const decodeIndex = process.argv.indexOf('--decode');
(decodeIndex >= 0 ? decodeOnly(process.argv[decodeIndex + 1], process.argv.includes('--rows')) : main()).catch(
  (err: unknown) => {
    process.stderr.write(`packet-decoder: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
);
