// Lets a few lines per kind through each window and counts the rest, so a flood of failing queries cannot flood
// Grafana's log; kinds come from closed sets (query type, status, error source), so the map stays small.
export interface LogAllowance {
  allowed: boolean;
  // Lines of this kind held back since the last one let through.
  suppressed: number;
}

export class LogRateLimit {
  private readonly windows = new Map<string, { startMs: number; lines: number; suppressed: number }>();

  constructor(
    private readonly linesPerWindow = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now
  ) {}

  allow(kind: string): LogAllowance {
    const now = this.now();
    let w = this.windows.get(kind);
    if (!w || now - w.startMs >= this.windowMs) {
      w = { startMs: now, lines: 0, suppressed: w?.suppressed ?? 0 };
      this.windows.set(kind, w);
    }
    if (w.lines >= this.linesPerWindow) {
      w.suppressed++;
      return { allowed: false, suppressed: w.suppressed };
    }
    w.lines++;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    return { allowed: true, suppressed };
  }
}
