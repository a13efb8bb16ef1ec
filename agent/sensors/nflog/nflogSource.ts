/**
 * The NFLOG source: `tcpdump -i nflog:<group> -U -w -` streamed through the capture parser; its LINKTYPE_NFLOG
 * frames go to the handed-in sink (the agent's frame path turns them into drops, as it does for capture files).
 * tcpdump does the netlink subscription; we read its pcap stream, so the agent needs no netlink code of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { FrameSink } from '../captureFrame';
import { CaptureStreamParser } from '../captureStreamParser';

export interface NflogSourceOptions {
  group: number;
  // The command that runs tcpdump, e.g. ['ip', 'netns', 'exec', 'ns1', 'tcpdump']; plain tcpdump by default.
  tcpdumpCommand?: string[];
  startTimeoutMs?: number;
}

export class NflogSource {
  private child: ChildProcess | undefined;
  private stderr = '';
  private exited: Promise<void> | undefined;
  // Packets the kernel dropped before tcpdump read them, from tcpdump's final report.
  kernelDrops = 0;
  lastError: string | undefined;

  constructor(
    private readonly options: NflogSourceOptions,
    private readonly onFrame: FrameSink
  ) {
    if (!Number.isInteger(options.group) || options.group < 0 || options.group > 65535) {
      throw new Error(`nflog: group must be an integer from 0 to 65535, got ${options.group}`);
    }
  }

  /** Resolves once tcpdump is listening on the NFLOG group. */
  start(): Promise<void> {
    const [command, ...prefixArgs] = this.options.tcpdumpCommand ?? ['tcpdump'];
    const args = [...prefixArgs, '-i', `nflog:${this.options.group}`, '-U', '-n', '-w', '-'];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const parser = new CaptureStreamParser(this.onFrame);
    child.stdout!.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      // A stream that stopped parsing is not read on forever: tcpdump is stopped and the error kept (on close).
      if (parser.error && child.exitCode === null && !child.killed) {
        child.kill('SIGINT');
      }
    });
    this.exited = new Promise((resolve) => {
      child.once('close', () => {
        const error = parser.end();
        if (error) {
          this.lastError = `nflog:${this.options.group}: ${error.message}`;
        }
        const dropped = /(\d+) packets? dropped by kernel/.exec(this.stderr);
        if (dropped) {
          this.kernelDrops += Number(dropped[1]);
        }
        resolve();
      });
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`nflog: tcpdump did not start listening on nflog:${this.options.group}: ${this.stderr.trim()}`)
          ),
        this.options.startTimeoutMs ?? 10_000
      );
      child.stderr!.on('data', (d: Buffer) => {
        this.stderr += d.toString();
        if (this.stderr.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`nflog: cannot start ${command}: ${err.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!this.stderr.includes('listening on')) {
          reject(new Error(`nflog: tcpdump exited with ${code}: ${this.stderr.trim()}`));
        }
      });
    });
  }

  /** Stops tcpdump and resolves once every frame it wrote was delivered. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
    }
    await this.exited;
  }
}
