// A live agent's sources: tcpdump on the configured interfaces (never the agent's own API traffic), and the Hubble
// and NFLOG sources of its config. Packets and NFLOG frames go to the frame path; Hubble's finished events straight
// to the pipeline, after the trackers.
import type { CaptureConfig } from '../config';
import type { FramePath } from '../decode/framePath';
import type { ShedCounters } from '../metrics/agentMetrics';
import type { PacketPipeline } from '../pipeline';
import type { CaptureHealthReport } from '../sensors/captureHealth';
import { type RunningEventSource, startHubbleSource } from '../sensors/hubble/hubbleConfig';
import { TcpdumpLiveSource } from '../sensors/liveCapture';
import { startNflogSource } from '../sensors/nflog/nflogConfig';
import type { AgentLog } from './agentLog';
import type { AgentSources } from './sources';

export interface LiveTargets {
  frames: FramePath;
  pipeline: PacketPipeline;
  shed: ShedCounters;
}

export class LiveSources {
  private capture: TcpdumpLiveSource | undefined;
  private readonly running: RunningEventSource[] = [];

  constructor(
    private readonly configured: CaptureConfig,
    private readonly sources: Pick<AgentSources, 'hubble' | 'nflog'>,
    private readonly node: string,
    private readonly log: AgentLog
  ) {}

  // /healthz may be asked before capture has started.
  health(): CaptureHealthReport {
    return this.capture?.health() ?? { ok: false, reasons: ['capture is starting'], interfaces: [] };
  }

  // False when a source could not start (the reason is logged); the agent then stops.
  async start(targets: LiveTargets, ownApiPort: number): Promise<boolean> {
    const { frames, pipeline, shed } = targets;
    const log = this.log;
    // The agent's own API traffic is never captured: every scrape would otherwise become events about itself.
    const configured = this.configured;
    const ownApi = `not tcp port ${ownApiPort}`;
    const capture = {
      ...configured,
      filter: configured.filter.trim() ? `(${configured.filter}) and ${ownApi}` : ownApi,
    };
    this.capture = new TcpdumpLiveSource(
      capture,
      {
        onFrame: frames.frame,
        onShed: (n) => (shed.packets += n),
        onError: (m) => log('error', m),
        onFrameError: (err) => pipeline.errors.record('decode', err),
      },
      { stallAfterMs: capture.stallAfterMs }
    );
    const logLevel = (level: 'info' | 'error', message: string) => log(level, message);
    try {
      await this.capture.start();
      const { hubble, nflog } = this.sources;
      if (hubble) {
        this.running.push(startHubbleSource(hubble, this.node, (e) => pipeline.handleEvent(e), logLevel));
      }
      if (nflog) {
        this.running.push(await startNflogSource(nflog, frames.frame, logLevel));
      }
    } catch (err) {
      log('error', (err as Error).message);
      return false;
    }
    log('info', 'capturing', { interfaces: capture.interfaces, filter: capture.filter });
    return true;
  }

  // Stops every source; what tcpdump still had queued is handed on first.
  async stop(): Promise<void> {
    await Promise.all(this.running.map((s) => s.stop()));
    await this.capture?.stop();
  }
}
