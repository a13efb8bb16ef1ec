// Decode + TCP tracking + HTTP/DNS pairing on a ≥ 1,000,000-packet capture made by the network-namespace harness in
// this run, ours and tshark each timed as a whole process (start-up included, one pass each) on the same file.
// tshark does the equal work in two passes (-2): TCP analysis, reassembled HTTP with request/response pairing and
// DNS query/response pairing, printing the fields our events carry. The HTTP exchanges and DNS lookups both found
// are then compared as full row lists (untimed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachDecodedPacket } from '../agent/decode/decodeCapture';
import { PacketPipeline } from '../agent/pipeline';
import { defaultTrackerOptions } from '../agent/track/trackerOptions';
import type { NetworkEvent } from '../model/events';
import { dnsRcodeName } from '../model/dnsRcode';
import { makeLoadCapture } from '../tests/netns/loadCapture';
import AGENT_EXEC_ARGV from '../agent/runtimeFlags.json';
import { hasTshark, timeProcess } from './lib/processTimes';
import { report, round } from './lib/report';

const TARGET_PACKETS = Number(process.env.WIRETRACE_BENCH_PACKETS ?? 1_000_000);
const GOAL_PPS = 1_500_000;
const GOAL_RSS_MB = 128;
const TSHARK_FIELDS = [
  'frame.number',
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tcp.stream',
  'tcp.analysis.flags',
  'tcp.analysis.ack_rtt',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'http.request_in',
  'http.time',
  'dns.id',
  'dns.qry.name',
  'dns.flags.response',
  'dns.flags.rcode',
  'dns.response_in',
  'dns.time',
];
// Out-of-order segments are reassembled, as ours does (tshark's default leaves such a message unparsed).
const TSHARK_ARGS = [
  ...['-n', '-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-T', 'fields', '-E', 'occurrence=f'],
  ...TSHARK_FIELDS.flatMap((f) => ['-e', f]),
];

function log(message: string): void {
  process.stderr.write(`agent-pipeline: ${message}\n`);
}

interface Measurement {
  packets: number;
  events: number;
  peakRssMb: number;
}

// The measured process: one pass over the file streamed in 1 MB chunks, as the agent reads; --rows prints the
// HTTP exchanges and DNS lookups it found.
async function measureInThisProcess(file: string, rows: boolean): Promise<void> {
  const pipeline = new PacketPipeline(defaultTrackerOptions({ source: 'pcap' }));
  let events = 0;
  const out: string[] = [];
  pipeline.addSink((event) => {
    events++;
    if (rows) {
      const row = eventRow(event);
      if (row) {
        out.push(row);
      }
    }
  });
  const { counters } = await forEachDecodedPacket(file, (packet) => pipeline.handlePacket(packet));
  pipeline.flush();
  const m: Measurement = { packets: counters.packets, events, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(rows ? out.sort().join('\n') + '\n' : `MEASUREMENT ${JSON.stringify(m)}\n`);
}

function eventRow(e: NetworkEvent): string | undefined {
  if (e.kind === 'http' && e.http && !e.http.encrypted) {
    return `http ${e.src.ip}:${e.src.port} ${e.http.method} ${e.http.path} ${e.http.status ?? '-'}`;
  }
  if (e.kind === 'dns' && e.dns) {
    return `dns ${e.src.ip}:${e.src.port} ${e.dns.id} ${e.dns.query} ${e.dns.answered ? (e.dns.rcode ?? '-') : '-'}`;
  }
  return undefined;
}

// tshark's lines as the same rows: each request with the response that names it, each query with its answer.
function tsharkRows(text: string): string[] {
  const byFrame = new Map<string, string[]>();
  const lines = text
    .split('\n')
    .filter((l) => l)
    .map((l) => l.split('\t'));
  const at = (name: string) => TSHARK_FIELDS.indexOf(name);
  for (const f of lines) {
    byFrame.set(f[at('frame.number')], f);
  }
  const statusOf = new Map<string, string>();
  const rcodeOf = new Map<string, string>();
  for (const f of lines) {
    if (f[at('http.response.code')] && f[at('http.request_in')]) {
      statusOf.set(f[at('http.request_in')], f[at('http.response.code')]);
    }
    if (f[at('dns.flags.response')] === '1' || f[at('dns.flags.response')] === 'True') {
      rcodeOf.set(f[at('frame.number')], dnsRcodeName(Number(f[at('dns.flags.rcode')])));
    }
  }
  const rows: string[] = [];
  for (const f of lines) {
    const frame = f[at('frame.number')];
    if (f[at('http.request.method')]) {
      const client = `${f[at('ip.src')]}:${f[at('tcp.srcport')]}`;
      rows.push(
        `http ${client} ${f[at('http.request.method')]} ${f[at('http.request.uri')]} ${statusOf.get(frame) ?? '-'}`
      );
    }
    const response = f[at('dns.flags.response')];
    if (f[at('dns.id')] && (response === '0' || response === 'False')) {
      const client = `${f[at('ip.src')]}:${f[at('udp.srcport')]}`;
      const answer = f[at('dns.response_in')];
      const id = Number(f[at('dns.id')]);
      rows.push(`dns ${client} ${id} ${f[at('dns.qry.name')]} ${answer ? (rcodeOf.get(answer) ?? '-') : '-'}`);
    }
  }
  return rows.sort();
}

function compareRows(ours: string[], peer: string[]): { same: boolean; detail: string } {
  const n = Math.max(ours.length, peer.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] !== peer[i]) {
      return {
        same: false,
        detail: `${ours.length} ours vs ${peer.length} tshark rows, first difference at sorted row ${i}: ours "${ours[i]}" vs tshark "${peer[i]}"`,
      };
    }
  }
  const http = ours.filter((r) => r.startsWith('http ')).length;
  return { same: true, detail: `${http} HTTP exchanges and ${ours.length - http} DNS lookups` };
}

async function main(): Promise<void> {
  if (!hasTshark()) {
    throw new Error('tshark is not installed (apt-get install tshark): it is the peer of this benchmark');
  }
  const capture = await makeLoadCapture(TARGET_PACKETS, log);
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-pipeline-bench-'));
  try {
    const label = capture.origin === 'synthetic' ? ' (SYNTHETIC capture)' : '';
    log(
      `${capture.packets} packets in ${capture.file}${label}, ${capture.kernelDrops} dropped by the kernel while capturing`
    );
    const measurementFile = join(dir, 'ours.out');
    // Under the V8 flags the agent runs with (its image's entrypoint and its bin pass them).
    const ours = timeProcess(
      [process.execPath, ...AGENT_EXEC_ARGV, __filename, '--measure', capture.file],
      measurementFile
    );
    const line = readFileSync(measurementFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('MEASUREMENT '));
    if (!line) {
      throw new Error('the measuring process printed no measurement');
    }
    const m = JSON.parse(line.slice('MEASUREMENT '.length)) as Measurement;
    log(
      `ours: ${m.packets} packets, ${m.events} events, ${ours.cpuSeconds.toFixed(2)} s CPU, peak RSS ${m.peakRssMb.toFixed(0)} MB`
    );
    const tsharkOut = join(dir, 'tshark.tsv');
    const tshark = timeProcess(['tshark', '-r', capture.file, ...TSHARK_ARGS], tsharkOut);
    log(`tshark: ${tshark.cpuSeconds.toFixed(2)} s CPU, ${tshark.wallSeconds.toFixed(2)} s wall`);
    const oursRowsFile = join(dir, 'ours.rows');
    timeProcess([process.execPath, ...AGENT_EXEC_ARGV, __filename, '--measure', capture.file, '--rows'], oursRowsFile);
    const oursRows = readFileSync(oursRowsFile, 'utf8')
      .split('\n')
      .filter((l) => l);
    const peerRows = tsharkRows(readFileSync(tsharkOut, 'utf8'));
    const rows = compareRows(oursRows, peerRows);
    if (!rows.same) {
      writeFileSync(join(tmpdir(), 'wiretrace-pipeline-rows.txt'), oursRows.join('\n'));
      writeFileSync(join(tmpdir(), 'wiretrace-pipeline-tshark-rows.txt'), peerRows.join('\n'));
      log(`both row lists written to ${tmpdir()}/wiretrace-pipeline-{rows,tshark-rows}.txt`);
    }
    log(`rows ${rows.same ? 'agree' : 'differ'}: ${rows.detail}`);
    const oursPps = m.packets / ours.cpuSeconds;
    const tsharkPps = m.packets / tshark.cpuSeconds;
    const note =
      `both whole processes on the same ${m.packets}-packet file, start-up included, one pass each (tshark -2 is its ` +
      `own two passes); tshark asked for TCP analysis, HTTP request/response and DNS query/response fields; the kernel ` +
      `dropped ${capture.kernelDrops} packets while capturing (both read the same holes); rows: ${rows.detail}`;
    report({
      bench: `agent pipeline packets per CPU-second${label}`,
      unit: 'pps',
      ours: Math.round(oursPps),
      peer: 'tshark -2 -T fields (tcp.analysis, http, dns), out-of-order reassembly on',
      peerValue: Math.round(tsharkPps),
      ratio: round(oursPps / tsharkPps, 1),
      goal: `≥ ${GOAL_PPS / 1e6}M pps and ≥ 20× tshark`,
      met: oursPps >= GOAL_PPS && oursPps >= 20 * tsharkPps,
      sameResult: rows.same,
      note,
    });
    report({
      bench: `agent pipeline packets/s wall clock${label}`,
      unit: 'pps',
      ours: Math.round(m.packets / ours.wallSeconds),
      peer: 'tshark -2 -T fields (tcp.analysis, http, dns), out-of-order reassembly on',
      peerValue: Math.round(m.packets / tshark.wallSeconds),
      ratio: round(tshark.wallSeconds / ours.wallSeconds, 1),
      note: 'wall clock carries whatever else the machine runs; the CPU line is the measure',
    });
    report({
      bench: `agent pipeline peak RSS, ${round(m.packets / 1e6, 2)}M-packet replay${label}`,
      unit: 'MB',
      ours: round(m.peakRssMb, 0),
      peer: null,
      peerValue: null,
      goal: `≤ ${GOAL_RSS_MB} MB`,
      met: m.peakRssMb <= GOAL_RSS_MB,
      note: `max RSS of the whole measuring process (Node runtime included), run with the agent's V8 flags ${AGENT_EXEC_ARGV.join(' ')}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // WIRETRACE_BENCH_KEEP=1 leaves the capture (and its harness) for a look at a disagreement.
    if (process.env.WIRETRACE_BENCH_KEEP) {
      log(`capture kept: ${capture.file}`);
    } else {
      await capture.cleanup();
    }
  }
}

const measureIndex = process.argv.indexOf('--measure');
(measureIndex >= 0
  ? measureInThisProcess(process.argv[measureIndex + 1], process.argv.includes('--rows'))
  : main()
).catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
