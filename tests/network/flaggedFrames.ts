// Which frames of a capture are resent or reordered, frame by frame: as our TCP analysis flags them and as tshark does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defaultAgentConfig } from '../../agent/config';
import { newDecodeCounters } from '../../agent/decode/packet';
import { PacketDecoder } from '../../agent/decode/packetDecoder';
import { PacketPipeline } from '../../agent/pipeline';
import { readCaptureBuffer } from '../../agent/sensors/captureFile';

// 1-based frame numbers, as tshark counts them.
export interface FlaggedFrames {
  // Sent again or out of order: the union tshark's analysis and ours each cover.
  resentOrReordered: number[];
  outOfOrder: number[];
  fastRetransmits: number[];
  // IPv4 data segments whose IP ID is behind the previous segment of their direction: sent before it and delayed
  // on the path, so an original copy arriving late, never a resend (Linux numbers each socket's packets in order).
  sentBeforePrevious?: number[];
}

// The agent's own pipeline, fed one frame at a time; a frame is flagged when it moved the tracker's counters.
export function ourFlaggedFrames(captureFile: string): FlaggedFrames {
  const pipeline = new PacketPipeline({ ...defaultAgentConfig().tracker, source: 'pcap', node: undefined });
  const decoder = new PacketDecoder(newDecodeCounters());
  const flagged: FlaggedFrames = { resentOrReordered: [], outOfOrder: [], fastRetransmits: [] };
  const stats = pipeline.stats;
  let frame = 0;
  const { error } = readCaptureBuffer(readFileSync(captureFile), {
    raw: (buf, start, end, timeUs, wireLength, linkType, _interfaceId, ifName) => {
      frame++;
      const packet = decoder.decodeRange(buf, start, end, linkType, timeUs, wireLength, ifName);
      if (!packet) {
        return;
      }
      const before = {
        resent: stats.retransmits + stats.outOfOrder,
        ooo: stats.outOfOrder,
        fast: stats.fastRetransmits,
      };
      pipeline.handlePacket(packet);
      if (stats.retransmits + stats.outOfOrder > before.resent) {
        flagged.resentOrReordered.push(frame);
      }
      if (stats.outOfOrder > before.ooo) {
        flagged.outOfOrder.push(frame);
      }
      if (stats.fastRetransmits > before.fast) {
        flagged.fastRetransmits.push(frame);
      }
    },
  });
  if (error) {
    throw new Error(`${captureFile}: ${error.message}`);
  }
  return flagged;
}

export function tsharkFlaggedFrames(captureFile: string): FlaggedFrames {
  const frames = (filter: string) =>
    execFileSync('tshark', ['-r', captureFile, '-n', '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .split('\n')
      .filter((l) => l.trim())
      .map(Number);
  return {
    resentOrReordered: frames(
      'tcp.analysis.retransmission or tcp.analysis.fast_retransmission or tcp.analysis.spurious_retransmission or tcp.analysis.out_of_order'
    ),
    outOfOrder: frames('tcp.analysis.out_of_order'),
    fastRetransmits: frames('tcp.analysis.fast_retransmission'),
    sentBeforePrevious: delayedOriginals(captureFile),
  };
}

function delayedOriginals(captureFile: string): number[] {
  const rows = execFileSync(
    'tshark',
    [
      '-r',
      captureFile,
      '-n',
      '-Y',
      'ip and tcp.len > 0',
      '-T',
      'fields',
      '-e',
      'frame.number',
      '-e',
      'tcp.stream',
      '-e',
      'ip.src',
      '-e',
      'ip.id',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  )
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('\t'));
  const lastId = new Map<string, number>();
  const delayed: number[] = [];
  for (const [frame, stream, src, id] of rows) {
    const key = `${stream}/${src}`;
    const ipId = Number(id);
    const previous = lastId.get(key);
    // Behind by less than half the 16-bit space: sent earlier than the previous segment.
    if (previous !== undefined && ((previous - ipId) & 0xffff) > 0 && ((previous - ipId) & 0xffff) < 0x8000) {
      delayed.push(Number(frame));
      continue;
    }
    lastId.set(key, ipId);
  }
  return delayed;
}

// tshark's view of some frames and of the 40 before each, for a failure message: who sent what, when, and its flags.
export function describeFrames(captureFile: string, frames: number[]): string {
  const window = frames.map((f) => `(frame.number >= ${Math.max(1, f - 40)} and frame.number <= ${f})`).join(' or ');
  return execFileSync(
    'tshark',
    [
      '-r',
      captureFile,
      '-n',
      '-Y',
      `tcp and (${window})`,
      '-T',
      'fields',
      ...['frame.number', 'frame.time_relative', 'tcp.stream', 'ip.src', 'ip.id', 'tcp.seq', 'tcp.len', 'tcp.ack']
        .concat(['tcp.analysis.flags', '_ws.expert.message'])
        .flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 }
  );
}
