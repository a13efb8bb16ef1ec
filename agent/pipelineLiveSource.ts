// Live packets for `run`: the tcpdump sensor (one tcpdump per interface, the kernel's BPF filter applied there) feeds
// its bounded queue; this source drains it, decodes each frame and hands the packet to the pipeline.
// A slow pipeline makes the sensor shed frames: those, and tcpdump's kernel drops, are reported as they happen.
import type { CaptureConfig } from './config';
import type { DecodedPacket } from './decode/packet';
import type { PacketDecoder } from './decode/packetDecoder';
import { TcpdumpSensor } from './sensors/tcpdumpSensor';

export interface LiveCaptureHandlers {
  onPacket(packet: DecodedPacket): void;
  // Packets lost before decoding since the last call: shed by the sensor's queue or dropped by the kernel.
  onShed(count: number): void;
  onError(message: string): void;
}

export interface LiveSourceOptions {
  tcpdumpPath?: string;
  // How often tcpdump is asked for its kernel-drop counter.
  statsIntervalMs?: number;
  queueMaxFrames?: number;
}

export class TcpdumpLiveSource {
  private readonly sensor: TcpdumpSensor;
  private draining: Promise<void> | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private reportedShed = 0;

  constructor(
    capture: CaptureConfig,
    private readonly decoder: PacketDecoder,
    private readonly handlers: LiveCaptureHandlers,
    private readonly options: LiveSourceOptions = {}
  ) {
    this.sensor = new TcpdumpSensor({
      interfaces: capture.interfaces,
      snapLength: capture.snaplen,
      filter: capture.filter.trim() || undefined,
      tcpdumpPath: options.tcpdumpPath,
      queueMaxFrames: options.queueMaxFrames,
      onCaptureEnded: (_iface, message) => handlers.onError(message),
    });
  }

  // Resolves once every tcpdump reports it is listening.
  async start(): Promise<void> {
    await this.sensor.start();
    this.draining = this.drain().catch((err: unknown) => this.handlers.onError(`live capture stopped: ${String(err)}`));
    this.statsTimer = setInterval(() => {
      this.sensor.requestStats();
      this.reportShed();
    }, this.options.statsIntervalMs ?? 5000);
    this.statsTimer.unref();
  }

  // Stops tcpdump, decodes what is still queued, and reports the final counts.
  async stop(): Promise<void> {
    clearInterval(this.statsTimer);
    const report = await this.sensor.stop();
    await this.draining;
    this.reportShed();
    for (const i of report.interfaces) {
      if (i.streamError) {
        this.handlers.onError(`capture on ${i.iface}: ${i.streamError}`);
      }
    }
  }

  private async drain(): Promise<void> {
    for await (const frame of this.sensor.frames()) {
      const packet = this.decoder.decodeFrame(frame);
      if (packet) {
        this.handlers.onPacket(packet);
      }
    }
  }

  private reportShed(): void {
    const total = this.sensor.shedPackets + this.sensor.kernelDropped;
    if (total > this.reportedShed) {
      this.handlers.onShed(total - this.reportedShed);
      this.reportedShed = total;
    }
  }
}
