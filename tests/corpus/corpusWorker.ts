// Runs the agent's pipeline over capture files named on stdin (one per line) and prints, per file, what it saw in
// the categories the corpus tier compares with tshark. A "start" line precedes each file so a hang names its file.
import { createInterface } from 'node:readline';
import type { NetworkEvent } from '../../model/events';
import { latestVersions } from '../../model/eventVersions';
import { readCaptureInto } from '../../agent/decode/decodeCapture';
import { FramePath } from '../../agent/decode/framePath';
import { PacketPipeline } from '../../agent/pipeline';
import { NflogDrops } from '../../agent/decode/nflog/nflogDrops';
import { PacketDecoder } from '../../agent/decode/packetDecoder';
import { defaultTrackerOptions } from '../../agent/track/trackerOptions';

export interface CorpusCounts {
  httpRequests: number;
  httpResponses: number;
  dnsAnswers: number;
  tcpConnections: number;
}

function count(events: NetworkEvent[]): CorpusCounts {
  const latest = latestVersions(events);
  return {
    httpRequests: latest.filter((e) => e.kind === 'http' && e.http?.method).length,
    httpResponses: latest.filter((e) => e.kind === 'http' && e.http?.status !== undefined).length,
    dnsAnswers: latest.filter((e) => e.kind === 'dns' && e.dns?.answered).length,
    tcpConnections: latest.filter((e) => e.kind === 'flow' && e.transport === 'tcp' && e.flow?.state !== 'active')
      .length,
  };
}

async function analyzeFile(file: string): Promise<CorpusCounts & { error?: string }> {
  const events: NetworkEvent[] = [];
  const pipeline = new PacketPipeline(defaultTrackerOptions({ source: 'pcap' }));
  pipeline.addSink((e) => events.push(e));
  // As `analyze` reads them: NFLOG frames are logged drops, everything else packets, one packet object refilled.
  const nflog = new NflogDrops((e) => pipeline.handleEvent(e));
  const decoder = new PacketDecoder(undefined, { reusePackets: true });
  const capture = await readCaptureInto(file, new FramePath((p) => pipeline.handlePacket(p), decoder, nflog));
  nflog.flush();
  pipeline.flush();
  // A cut or unreadable file is a clean, named error: the events before it still count.
  return { ...count(events), ...(capture.error ? { error: capture.error.message } : {}) };
}

async function main(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const file = line.trim();
    if (!file) {
      continue;
    }
    process.stdout.write(JSON.stringify({ start: file }) + '\n');
    try {
      process.stdout.write(JSON.stringify({ file, ...(await analyzeFile(file)) }) + '\n');
    } catch (err) {
      process.stdout.write(JSON.stringify({ file, crash: (err as Error).stack ?? String(err) }) + '\n');
    }
  }
}

void main();
