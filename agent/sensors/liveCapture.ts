// Live frames for `run`: the tcpdump sensor (one tcpdump per interface, the kernel's BPF filter applied there) feeds
// its bounded queue; this source drains it and hands each frame on (to the agent's frame path, then the pipeline).
// A slow pipeline makes the sensor shed frames: those, and tcpdump's kernel drops, are reported as they happen.
// A frame whose handling throws is reported and skipped; capture goes on.
import type { CaptureConfig } from '../config';
import { CaptureHealth, type CaptureHealthReport } from './captureHealth';
import type { CapturedFrame } from './captureFrame';
import { TcpdumpSensor } from './tcpdumpSensor';

export interface LiveCaptureHandlers {
  onFrame(frame: CapturedFrame): void;
  // Packets lost before decoding since the last call: shed by the sensor's queue or dropped by the kernel.
  onShed(count: number): void;
  onError(message: string): void;
  // An exception while handling one frame; the frames after it are still handled.
  onFrameError(err: unknown): void;
}

export interface LiveSourceOptions {
  tcpdumpPath?: string;
  // How often tcpdump is asked for its kernel-drop counter.
  statsIntervalMs?: number;
  queueMaxFrames?: number;
  // Capture is reported unhealthy when an interface that had traffic is silent this long (0: never).
  stallAfterMs?: number;
}

export class TcpdumpLiveSource {
  private readonly sensor: TcpdumpSensor;
  private draining: Promise<void> | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private reportedShed = 0;
  private readonly captureHealth: CaptureHealth;
  private stopping = false;

  constructor(
    capture: CaptureConfig,
    private readonly handlers: LiveCaptureHandlers,
    private readonly options: LiveSourceOptions = {}
  ) {
    this.sensor = new TcpdumpSensor({
      interfaces: capture.interfaces,
      snapLength: capture.snaplen,
      filter: capture.filter.trim() || undefined,
      tcpdumpPath: options.tcpdumpPath,
      queueMaxFrames: options.queueMaxFrames,
      onCaptureEnded: (_iface, message) => {
        this.captureHealth.stopped(message);
        handlers.onError(message);
      },
    });
    this.captureHealth = new CaptureHealth(options.stallAfterMs ?? 0);
  }

  health(nowMs = Date.now()): CaptureHealthReport {
    return this.captureHealth.report(this.sensor.interfaceFrames(), nowMs);
  }

  // Resolves once every tcpdump reports it is listening.
  async start(): Promise<void> {
    await this.sensor.start();
    this.draining = this.drain().then(
      () => {
        if (!this.stopping) {
          this.captureStopped('live capture stopped: the frame stream ended');
        }
      },
      (err: unknown) => this.captureStopped(`live capture stopped: ${String(err)}`)
    );
    this.statsTimer = setInterval(() => {
      this.captureHealth.observe(this.sensor.interfaceFrames(), Date.now());
      this.sensor.requestStats();
      this.reportShed();
    }, this.options.statsIntervalMs ?? 5000);
    this.statsTimer.unref();
  }

  // Stops tcpdump, hands on what is still queued, and reports the final counts.
  async stop(): Promise<void> {
    this.stopping = true;
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
      try {
        this.handlers.onFrame(frame);
      } catch (err) {
        this.handlers.onFrameError(err);
      }
    }
  }

  private captureStopped(message: string): void {
    this.captureHealth.stopped(message);
    this.handlers.onError(message);
  }

  private reportShed(): void {
    const total = this.sensor.shedPackets + this.sensor.kernelDropped;
    if (total > this.reportedShed) {
      this.handlers.onShed(total - this.reportedShed);
      this.reportedShed = total;
    }
  }
}
