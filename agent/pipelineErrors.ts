// Exceptions the pipeline survives: counted per stage (a closed label set), logged once per kind, then rate-limited.
// One bad packet or event must never stop capture; this is where what went wrong is still visible.

// Where in the pipeline an exception was caught; the only values wiretrace_pipeline_errors_total is labelled with.
export const PIPELINE_STAGES = ['decode', 'track', 'enrich', 'sink', 'event', 'tick'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface PipelineErrorOptions {
  log?: (message: string, fields: Record<string, unknown>) => void;
  // After a kind's first report, at most one further line per kind per interval (with the count since).
  logIntervalMs?: number;
  now?: () => number;
}

// Distinct kinds remembered for rate limiting; past this every new kind shares one bucket.
const MAX_KINDS = 256;
const OTHER_KIND = 'other';

interface KindState {
  lastLogMs: number;
  suppressed: number;
}

export class PipelineErrors {
  private readonly counts = new Map<PipelineStage, number>(PIPELINE_STAGES.map((s) => [s, 0]));
  private readonly kinds = new Map<string, KindState>();

  constructor(private readonly options: PipelineErrorOptions = {}) {}

  count(stage: PipelineStage): number {
    return this.counts.get(stage) ?? 0;
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) {
      n += c;
    }
    return n;
  }

  // Counts the exception and logs it when its kind (stage + error name + message shape) is new or due again.
  record(stage: PipelineStage, err: unknown): void {
    this.counts.set(stage, this.count(stage) + 1);
    const log = this.options.log;
    if (!log) {
      return;
    }
    const message = describe(err);
    let kind = `${stage}:${kindOf(err, message)}`;
    if (!this.kinds.has(kind) && this.kinds.size >= MAX_KINDS) {
      kind = `${stage}:${OTHER_KIND}`;
    }
    const now = this.options.now?.() ?? Date.now();
    const state = this.kinds.get(kind);
    if (!state) {
      this.kinds.set(kind, { lastLogMs: now, suppressed: 0 });
      log('pipeline error (the pipeline goes on)', { stage, error: message });
      return;
    }
    if (now - state.lastLogMs < (this.options.logIntervalMs ?? 60_000)) {
      state.suppressed++;
      return;
    }
    log('pipeline error again (the pipeline goes on)', { stage, error: message, since: state.suppressed + 1 });
    state.lastLogMs = now;
    state.suppressed = 0;
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// Digits and quoted values vary per packet; the shape of the message is the kind.
function kindOf(err: unknown, message: string): string {
  const name = err instanceof Error ? err.constructor.name : typeof err;
  return `${name}:${message
    .slice(0, 120)
    .replace(/\d+/g, '#')
    .replace(/"[^"]*"/g, '"…"')}`;
}
