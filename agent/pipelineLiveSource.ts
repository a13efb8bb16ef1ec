// Live packets for `run`: one tcpdump per interface writing pcap to stdout (the kernel's BPF filter applied there),
// parsed and decoded as it streams into the pipeline.
import { spawn, type ChildProcess } from 'node:child_process';
import type { DecodedPacket } from './decode/packet';
import type { PacketDecoder } from './decode/packetDecoder';
import type { CaptureConfig } from './config';
import { CaptureStreamParser } from './sensors/captureStreamParser';

export interface LiveCaptureHandlers {
  onPacket(packet: DecodedPacket): void;
  // Packets the kernel dropped before tcpdump read them (reported when tcpdump stops).
  onKernelDrops(count: number): void;
  onError(message: string): void;
}

export class TcpdumpLiveSource {
  private readonly children: ChildProcess[] = [];
  private stopping = false;

  constructor(
    private readonly capture: CaptureConfig,
    private readonly decoder: PacketDecoder,
    private readonly handlers: LiveCaptureHandlers,
    private readonly tcpdumpPath = 'tcpdump'
  ) {}

  // Resolves once every tcpdump reports it is listening.
  async start(): Promise<void> {
    await Promise.all(this.capture.interfaces.map((iface) => this.startOne(iface)));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve();
              return;
            }
            child.once('exit', () => resolve());
            child.kill('SIGINT');
          })
      )
    );
  }

  private startOne(iface: string): Promise<void> {
    const args = ['-i', iface, '-U', '-n', '-s', String(this.capture.snaplen), '-w', '-'];
    if (this.capture.filter.trim()) {
      args.push(this.capture.filter);
    }
    const child = spawn(this.tcpdumpPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    const parser = new CaptureStreamParser((frame) => {
      const packet = this.decoder.decodeFrame(frame);
      if (packet) {
        this.handlers.onPacket(packet);
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => parser.push(chunk));
    let stderr = '';
    return new Promise((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('listening on')) {
          resolve();
        }
      });
      child.once('error', (err) => reject(new Error(`cannot start tcpdump on ${iface}: ${err.message}`)));
      child.once('exit', (code) => {
        const error = parser.end();
        const dropped = /(\d+) packets? dropped by kernel/.exec(stderr);
        if (dropped) {
          this.handlers.onKernelDrops(Number(dropped[1]));
        }
        if (error) {
          this.handlers.onError(`capture on ${iface}: ${error.message}`);
        }
        if (!this.stopping) {
          const message = `tcpdump on ${iface} exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`;
          this.handlers.onError(message);
          reject(new Error(message));
        }
      });
    });
  }
}
