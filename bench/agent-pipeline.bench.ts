// Packets per second through decode + TCP tracking + HTTP/DNS pairing on a ≥ 1,000,000-packet capture made by the
// network-namespace harness in this run, against tshark extracting the same fields from the same file.
import { spawnSync } from 'node:child_process';
import { forEachDecodedPacket } from '../agent/decode/decodeCapture';
import { PacketPipeline } from '../agent/pipeline';
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

interface Timing {
  wallSeconds: number;
  // CPU seconds (user + system): the fair measure of one core on a machine other work shares.
  cpuSeconds: number;
}

// Streams the file in 1 MB chunks as the agent would, so the peak RSS is the pipeline's and not the file's.
async function runOurs(file: string): Promise<{ packets: number; events: number } & Timing> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const pipeline = new PacketPipeline(defaultTrackerOptions({ source: 'pcap' }));
  let events = 0;
  pipeline.addSink(() => events++);
  const { counters } = await forEachDecodedPacket(file, (packet) => pipeline.handlePacket(packet));
  pipeline.flush();
  const used = process.cpuUsage(cpu);
  return {
    packets: counters.packets,
    events,
    wallSeconds: Number(process.hrtime.bigint() - start) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

function seconds(bashTime: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(bashTime);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

// bash's `times` reports the CPU its children used, which spawnSync does not.
function runTshark(file: string): Timing | null {
  const fields = TSHARK_FIELDS.map((f) => `-e ${f}`).join(' ');
  const script = `tshark -r "$1" -n -T fields ${fields} > /dev/null 2>&1 || exit 3; times`;
  const start = process.hrtime.bigint();
  const child = spawnSync('bash', ['-c', script, 'bash', file], { encoding: 'utf8' });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.error || child.status !== 0) {
    log(`tshark failed: ${child.error?.message ?? `exit ${child.status}`}`);
    return null;
  }
  const [user, system] = (child.stdout.trim().split('\n')[1] ?? '').split(' ').map(seconds);
  return { wallSeconds, cpuSeconds: user + system };
}

interface Measurement {
  packets: number;
  events: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

// The pipeline runs in a fresh process of its own, so its peak RSS is the agent's and not the harness driver's.
async function measureInThisProcess(file: string): Promise<void> {
  // A warm-up pass lets the JIT settle; the measured pass is the second.
  await runOurs(file);
  const ours = await runOurs(file);
  const m: Measurement = { ...ours, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`MEASUREMENT ${JSON.stringify(m)}\n`);
}

function measureInChild(file: string): Measurement {
  const child = spawnSync(process.execPath, [process.argv[1], '--measure', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('MEASUREMENT '));
  if (child.status !== 0 || !line) {
    throw new Error(`the measuring process failed (exit ${child.status})`);
  }
  return JSON.parse(line.slice('MEASUREMENT '.length)) as Measurement;
}

async function main(): Promise<void> {
  const capture = await makeLoadCapture(TARGET_PACKETS, log);
  try {
    const label = capture.origin === 'synthetic' ? ' (SYNTHETIC capture)' : '';
    log(`${capture.packets} packets in ${capture.file}${label}`);
    const ours = measureInChild(capture.file);
    log(
      `ours: ${ours.packets} packets, ${ours.events} events in ${ours.wallSeconds.toFixed(2)} s wall, ${ours.cpuSeconds.toFixed(2)} s CPU, peak RSS ${ours.peakRssMb.toFixed(0)} MB`
    );
    const tshark = runTshark(capture.file);
    if (tshark) {
      log(`tshark: ${tshark.wallSeconds.toFixed(2)} s wall, ${tshark.cpuSeconds.toFixed(2)} s CPU`);
    }
    const oursPps = ours.packets / ours.cpuSeconds;
    const tsharkPps = tshark ? ours.packets / tshark.cpuSeconds : null;
    report({
      bench: `agent pipeline packets/s per CPU-second${label}`,
      unit: 'pps',
      ours: Math.round(oursPps),
      peer: 'tshark -T fields',
      peerValue: tsharkPps ? Math.round(tsharkPps) : null,
    });
    report({
      bench: `agent pipeline packets/s wall clock${label}`,
      unit: 'pps',
      ours: Math.round(ours.packets / ours.wallSeconds),
      peer: 'tshark -T fields',
      peerValue: tshark ? Math.round(ours.packets / tshark.wallSeconds) : null,
    });
    report({
      bench: `agent pipeline vs tshark (CPU)${label}`,
      unit: 'x',
      ours: tsharkPps ? round(oursPps / tsharkPps, 1) : 0,
      peer: null,
      peerValue: null,
    });
    report({
      bench: `agent pipeline peak RSS${label}`,
      unit: 'MB',
      ours: round(ours.peakRssMb, 0),
      peer: null,
      peerValue: null,
    });
  } finally {
    await capture.cleanup();
  }
}

const measureIndex = process.argv.indexOf('--measure');
(measureIndex >= 0 ? measureInThisProcess(process.argv[measureIndex + 1]) : main()).catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
