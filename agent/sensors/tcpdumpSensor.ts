// Live capture: one `tcpdump -w -` per interface, its pcap stream decoded as it arrives, frames handed over
// through a bounded queue. A slow consumer makes the sensor shed (and count) frames, never grow without bound.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { BoundedQueue } from './boundedQueue';
import type { CapturedFrame } from './captureFrame';
import { CaptureStreamParser } from './captureStreamParser';
import { latestKernelDrops, parseTcpdumpStats, type TcpdumpStats } from './tcpdumpStats';

export interface TcpdumpSensorOptions {
  // Interface names; `any` captures them all (Linux cooked v2 frames).
  interfaces: string[];
  snapLength?: number;
  // BPF filter expression, compiled by libpcap into the kernel.
  filter?: string;
  // Deliver each packet as it arrives instead of when the kernel buffer fills.
  immediateMode?: boolean;
  nanosecondTimestamps?: boolean;
  // Kernel capture buffer (tcpdump -B), in KiB: what absorbs bursts while tcpdump is not scheduled.
  bufferKiB?: number;
  queueMaxFrames?: number;
  queueMaxBytes?: number;
  tcpdumpPath?: string;
  // How long tcpdump may take to open the interface.
  startTimeoutMs?: number;
  // A tcpdump that exits while the sensor is not stopping (the interface went away, tcpdump was killed).
  onCaptureEnded?: (iface: string, message: string) => void;
}

export interface InterfaceReport {
  iface: string;
  frames: number;
  tcpdump: TcpdumpStats;
  exitCode: number | null;
  // A capture stream that ended mid-record or did not parse.
  streamError?: string;
}

export interface SensorReport {
  frames: number;
  shedPackets: number;
  shedBytes: number;
  // Sum of tcpdump's "packets dropped by kernel" over all interfaces.
  kernelDropped: number;
  interfaces: InterfaceReport[];
}

type TcpdumpChild = ChildProcessByStdio<null, Readable, Readable>;

interface Capture {
  iface: string;
  child: TcpdumpChild;
  parser: CaptureStreamParser;
  stderr: string;
  exited: Promise<number | null>;
  exitCode: number | null;
  // tcpdump's latest "dropped by kernel" count (printed on SIGUSR1 and at exit).
  kernelDropped: number;
  // Set when the stream stopped parsing: tcpdump is stopped and its end reported once.
  streamFailed?: string;
}

const STDERR_KEEP = 64 * 1024;

export class TcpdumpSensor {
  private readonly queue: BoundedQueue<CapturedFrame>;
  private readonly captures: Capture[] = [];
  private frameCount = 0;
  private stopped: Promise<SensorReport> | undefined;
  private stopping = false;

  constructor(private readonly options: TcpdumpSensorOptions) {
    if (options.interfaces.length === 0) {
      throw new Error('tcpdump sensor: at least one interface is required');
    }
    const nflog = options.interfaces.find((i) => i.startsWith('nflog'));
    if (nflog) {
      throw new Error(`tcpdump sensor: ${nflog} is read by the NFLOG source, not the packet sensor`);
    }
    this.queue = new BoundedQueue<CapturedFrame>(
      { maxItems: options.queueMaxFrames ?? 65536, maxBytes: options.queueMaxBytes ?? 64 * 1024 * 1024 },
      (frame) => frame.data.length + 64
    );
  }

  get shedPackets(): number {
    return this.queue.shed;
  }

  get queued(): number {
    return this.queue.length;
  }

  // Frames read so far per interface, and whether that capture has ended: what capture health is judged on.
  interfaceFrames(): Array<{ iface: string; frames: number; ended: boolean }> {
    return this.captures.map((c) => ({
      iface: c.iface,
      frames: c.parser.framesDelivered,
      ended: c.exitCode !== null || c.streamFailed !== undefined,
    }));
  }

  // Packets the kernel dropped before tcpdump read them, as of tcpdump's latest report (see requestStats).
  get kernelDropped(): number {
    let dropped = 0;
    for (const c of this.captures) {
      dropped += c.kernelDropped;
    }
    return dropped;
  }

  // Asks every running tcpdump to print its counters (SIGUSR1), so kernel drops are known while capturing.
  requestStats(): void {
    for (const c of this.captures) {
      if (c.child.exitCode === null && c.child.signalCode === null) {
        c.child.kill('SIGUSR1');
      }
    }
  }

  argsFor(iface: string): string[] {
    const o = this.options;
    const args = [
      '-i',
      iface,
      '-s',
      String(o.snapLength ?? 65535),
      '-B',
      String(o.bufferKiB ?? 8192),
      '-U',
      '-w',
      '-',
      '-n',
    ];
    if (o.immediateMode ?? true) {
      args.push('--immediate-mode');
    }
    if (o.nanosecondTimestamps) {
      args.push('--time-stamp-precision=nano');
    }
    if (o.filter) {
      args.push(o.filter);
    }
    return args;
  }

  // Resolves once every tcpdump has opened its interface; rejects with tcpdump's own words otherwise.
  async start(): Promise<void> {
    await Promise.all(this.options.interfaces.map((iface) => this.startOne(iface)));
  }

  private startOne(iface: string): Promise<void> {
    const child = spawn(this.options.tcpdumpPath ?? 'tcpdump', this.argsFor(iface), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const capture: Capture = {
      iface,
      child,
      stderr: '',
      exitCode: null,
      kernelDropped: 0,
      parser: new CaptureStreamParser({
        raw: (buf, start, end, timeUs, wireLength, linkType) => {
          this.frameCount++;
          // A copy (Buffer's own slice would be a view): queued frames must not pin whole 64 KiB pipe chunks.
          this.queue.offer({
            timeUs,
            wireLength,
            linkType,
            data: Uint8Array.prototype.slice.call(buf, start, end),
            ifName: iface === 'any' ? undefined : iface,
          });
        },
      }),
      exited: Promise.resolve(null),
    };
    capture.exited = new Promise((resolve) => {
      child.on('close', (code) => {
        capture.exitCode = code;
        resolve(code);
      });
    });
    let started = false;
    this.captures.push(capture);
    child.stdout.on('data', (chunk: Buffer) => {
      capture.parser.push(chunk);
      // A stream that stopped parsing would be read and thrown away forever: stop that tcpdump and say why.
      if (capture.parser.error && capture.streamFailed === undefined && !this.stopping) {
        capture.streamFailed = capture.parser.error.message;
        child.kill('SIGINT');
        this.options.onCaptureEnded?.(
          iface,
          `capture stream from tcpdump on ${iface} stopped parsing: ${capture.streamFailed}`
        );
      }
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `tcpdump on ${iface} did not start within ${this.options.startTimeoutMs ?? 10000} ms: ${capture.stderr.trim()}`
            )
          ),
        this.options.startTimeoutMs ?? 10000
      );
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run tcpdump for ${iface}: ${err.message}`));
      });
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        capture.stderr = (capture.stderr + text).slice(-STDERR_KEEP);
        // A little of the earlier text too: a counter line may arrive split across chunks.
        const dropped = latestKernelDrops(capture.stderr.slice(-(text.length + 100)));
        if (dropped !== undefined) {
          capture.kernelDropped = dropped;
        }
        if (!started && /listening on /.test(capture.stderr)) {
          started = true;
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (!started) {
          reject(new Error(`tcpdump on ${iface} exited (${code}) before capturing: ${capture.stderr.trim()}`));
        } else if (!this.stopping && capture.streamFailed === undefined) {
          const last = capture.stderr.trim().split('\n').pop() ?? '';
          this.options.onCaptureEnded?.(iface, `tcpdump on ${iface} exited (${code}): ${last}`);
        }
      });
    });
  }

  // Frames in arrival order per interface; ends after stop() once the queue is drained.
  frames(): AsyncGenerator<CapturedFrame> {
    return this.queue.drain();
  }

  // SIGINT lets tcpdump flush and print its counters; the report includes them.
  stop(): Promise<SensorReport> {
    this.stopped ??= this.stopAll();
    return this.stopped;
  }

  private async stopAll(): Promise<SensorReport> {
    this.stopping = true;
    for (const c of this.captures) {
      if (c.child.exitCode === null && c.child.signalCode === null) {
        c.child.kill('SIGINT');
      }
    }
    const interfaces: InterfaceReport[] = [];
    for (const c of this.captures) {
      const killer = setTimeout(() => c.child.kill('SIGKILL'), 5000);
      await c.exited;
      clearTimeout(killer);
      const error = c.parser.framesDelivered > 0 || c.parser.format ? c.parser.end() : undefined;
      interfaces.push({
        iface: c.iface,
        frames: c.parser.framesDelivered,
        tcpdump: parseTcpdumpStats(c.stderr),
        exitCode: c.exitCode,
        streamError: error?.message,
      });
    }
    this.queue.close();
    return {
      frames: this.frameCount,
      shedPackets: this.queue.shed,
      shedBytes: this.queue.shedBytes,
      kernelDropped: interfaces.reduce((n, i) => n + (i.tcpdump.droppedByKernel ?? 0), 0),
      interfaces,
    };
  }
}
