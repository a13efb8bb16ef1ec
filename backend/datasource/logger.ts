// Logs as hclog JSON lines on stderr (go-plugin forwards them into Grafana's log); stdout is the protocol's.
import { secretMaskFor } from './secretMask';
import type { LogFields, Logger } from './types';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

// Keys whose values are never written, whatever a caller passes in.
const SECRET_KEY = /pass(word)?|token|secret|authorization|cookie|api[-_]?key|credential/i;

// A line stays readable and bounded whatever a request carried (a 50 MB queryType, a huge upstream body).
const MAX_VALUE_CHARS = 2000;

export interface LogSink {
  write(line: string): unknown;
}

export class HclogLogger implements Logger {
  constructor(
    private readonly sink: LogSink = process.stderr,
    private readonly minLevel: LogLevel = 'info',
    private readonly fields: LogFields = {},
    private readonly secrets: readonly string[] = []
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  with(fields: LogFields): HclogLogger {
    return new HclogLogger(this.sink, this.minLevel, { ...this.fields, ...fields }, this.secrets);
  }

  // A logger that also masks these values (the decrypted secrets of a datasource) in any encoding they appear.
  withSecrets(secrets: Array<string | undefined>): HclogLogger {
    const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
    return new HclogLogger(this.sink, this.minLevel, this.fields, [...this.secrets, ...known]);
  }

  private log(level: LogLevel, message: string, fields?: LogFields): void {
    if (RANK[level] < RANK[this.minLevel]) {
      return;
    }
    const entry: Record<string, unknown> = {
      '@level': level,
      '@message': this.mask(message),
      '@timestamp': hclogTimestamp(performance.timeOrigin + performance.now()),
    };
    for (const [key, value] of Object.entries({ ...this.fields, ...fields })) {
      entry[key] = SECRET_KEY.test(key) ? '[redacted]' : this.maskValue(value);
    }
    this.sink.write(JSON.stringify(entry) + '\n');
  }

  private maskValue(value: unknown): unknown {
    if (typeof value === 'string') {
      return this.mask(value);
    }
    if (value instanceof Error) {
      return this.mask(value.message);
    }
    return value;
  }

  private mask(text: string): string {
    return secretMaskFor(this.secrets).excerpt(text, MAX_VALUE_CHARS);
  }
}

// go-plugin parses @timestamp with the layout 2006-01-02T15:04:05.000000Z07:00: exactly six fractional digits,
// otherwise it treats the whole line as unstructured debug output.
export function hclogTimestamp(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(999, Math.round((epochMs - wholeMs) * 1000));
  return new Date(wholeMs).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

export function levelFromEnv(value: string | undefined): LogLevel {
  const v = (value ?? '').toLowerCase();
  return v in RANK ? (v as LogLevel) : 'info';
}
