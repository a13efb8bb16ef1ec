// Packets per second through decode + TCP tracking + HTTP/DNS pairing on a ≥ 1,000,000-packet capture made by the
// network-namespace harness in this run, against tshark extracting the same fields from the same file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PacketDecoder } from '../agent/decode/packetDecoder';
import { newDecodeCounters } from '../agent/decode/packet';
import { PacketPipeline } from '../agent/pipeline';
import { defaultAppParsers } from '../agent/pipelineParsers';
import { readCaptureBuffer } from '../agent/sensors/captureFile';
import { defaultTrackerOptions } from '../agent/track/trackerOptions';
import { makeLoadCapture } from '../tests/netns/loadCapture';
import { report, round } from './lib/report';

const TARGET_PACKETS = Number(process.env.WIRETRACE_BENCH_PACKETS ?? 1_000_000);
const TSHARK_FIELDS = [
  'frame.time_epoch',
  'ip.src',
  'ip.dst',
  'tcp.stream',
  'http.request.method',
  'http.response.code',
  'dns.qry.name',
];

function log(message: string): void {
  process.stderr.write(`agent-pipeline: ${message}\n`);
}

function runOurs(file: string): { packets: number; events: number; seconds: number } {
  const start = process.hrtime.bigint();
  const bytes = readFileSync(file);
  const decoder = new PacketDecoder(newDecodeCounters());
  const pipeline = new PacketPipeline(defaultTrackerOptions({ source: 'pcap' }), defaultAppParsers());
  let events = 0;
  pipeline.addSink(() => events++);
  readCaptureBuffer(bytes, (frame) => {
    const packet = decoder.decodeFrame(frame);
    if (packet) {
      pipeline.handlePacket(packet);
    }
  });
  pipeline.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { packets: decoder.counters.packets, events, seconds };
}

function runTshark(file: string): number | null {
  const args = ['-r', file, '-n', '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])];
  const start = process.hrtime.bigint();
  const child = spawnSync('tshark', args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (child.error || child.status !== 0) {
    log(`tshark failed: ${child.error?.message ?? `exit ${child.status}`}`);
    return null;
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const capture = await makeLoadCapture(TARGET_PACKETS, log);
  try {
    const label = capture.origin === 'synthetic' ? ' (SYNTHETIC capture)' : '';
    log(`${capture.packets} packets in ${capture.file}${label}`);
    // A warm-up pass lets the JIT settle; the measured pass is the second.
    runOurs(capture.file);
    const ours = runOurs(capture.file);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    log(`ours: ${ours.packets} packets, ${ours.events} events in ${ours.seconds.toFixed(2)} s`);
    const tsharkSeconds = runTshark(capture.file);
    const oursPps = ours.packets / ours.seconds;
    const tsharkPps = tsharkSeconds ? ours.packets / tsharkSeconds : null;
    if (tsharkSeconds) {
      log(`tshark: ${tsharkSeconds.toFixed(2)} s`);
    }
    report({
      bench: `agent pipeline packets/s${label}`,
      unit: 'pps',
      ours: Math.round(oursPps),
      peer: 'tshark -T fields',
      peerValue: tsharkPps ? Math.round(tsharkPps) : null,
    });
    report({
      bench: `agent pipeline vs tshark${label}`,
      unit: 'x',
      ours: tsharkPps ? round(oursPps / tsharkPps, 1) : 0,
      peer: null,
      peerValue: null,
    });
    report({
      bench: `agent pipeline peak RSS${label}`,
      unit: 'MB',
      ours: round(peakRssMb, 0),
      peer: null,
      peerValue: null,
    });
  } finally {
    await capture.cleanup();
  }
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
