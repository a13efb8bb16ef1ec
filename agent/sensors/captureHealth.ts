// Is live capture still working? Not when it stopped, or when an interface that had traffic went quiet for too long.
// Judged on per-interface frame counts sampled over time, so nothing is done per packet.

export interface InterfaceFrames {
  iface: string;
  frames: number;
  ended: boolean;
}

export interface CaptureHealthReport {
  ok: boolean;
  // Why not ok, one line each.
  reasons: string[];
  interfaces: Array<{ iface: string; frames: number; quietForMs?: number }>;
}

interface Seen {
  frames: number;
  // When the count was last seen to change; a quiet interface's silence is measured from here.
  changedMs: number;
}

export class CaptureHealth {
  private readonly stops: string[] = [];
  private readonly seen = new Map<string, Seen>();

  // stallAfterMs: how long an interface that had traffic may be silent; 0 never calls silence unhealthy.
  constructor(private readonly stallAfterMs: number) {}

  // Capture as a whole stopped (the frame stream ended, a tcpdump exited): unhealthy until restarted.
  stopped(reason: string): void {
    if (this.stops.length < 16) {
      this.stops.push(reason);
    }
  }

  observe(interfaces: InterfaceFrames[], nowMs: number): void {
    for (const i of interfaces) {
      const seen = this.seen.get(i.iface);
      if (!seen) {
        this.seen.set(i.iface, { frames: i.frames, changedMs: nowMs });
      } else if (seen.frames !== i.frames) {
        seen.frames = i.frames;
        seen.changedMs = nowMs;
      }
    }
  }

  report(interfaces: InterfaceFrames[], nowMs: number): CaptureHealthReport {
    this.observe(interfaces, nowMs);
    const reasons = [...this.stops];
    const out: CaptureHealthReport['interfaces'] = [];
    for (const i of interfaces) {
      const seen = this.seen.get(i.iface)!;
      const quietForMs = nowMs - seen.changedMs;
      out.push({ iface: i.iface, frames: i.frames, ...(i.frames > 0 ? { quietForMs } : {}) });
      if (i.ended && !reasons.some((r) => r.includes(` on ${i.iface}`))) {
        reasons.push(`capture on ${i.iface} ended`);
      } else if (this.stallAfterMs > 0 && i.frames > 0 && quietForMs > this.stallAfterMs) {
        reasons.push(`no packet on ${i.iface} for ${Math.round(quietForMs / 1000)} s (it had traffic before)`);
      }
    }
    return { ok: reasons.length === 0, reasons, interfaces: out };
  }
}
