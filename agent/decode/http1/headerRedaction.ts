// Credentials never leave the agent: these headers keep their name and lose their value.
import type { HttpHeaderList } from './httpHeaders';

export const REDACTED = '[REDACTED]';
export const ALWAYS_REDACTED_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'] as const;

export class HeaderRedactor {
  private readonly names: Set<string>;

  constructor(extraNames: readonly string[] = []) {
    this.names = new Set([...ALWAYS_REDACTED_HEADERS, ...extraNames.map((n) => n.trim().toLowerCase())]);
  }

  redacts(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  // Lower-cased names, duplicates joined, sensitive values replaced.
  redact(headers: HttpHeaderList): Record<string, string> {
    return this.redactRecord(headers.toRecord());
  }

  // Replaces sensitive values in place in a record keyed by lower-cased names; the redacted set is the short side.
  redactRecord(record: Record<string, string>): Record<string, string> {
    for (const name of this.names) {
      if (Object.hasOwn(record, name)) {
        record[name] = REDACTED;
      }
    }
    return record;
  }
}

export function redactHeaders(headers: HttpHeaderList, extraNames: readonly string[] = []): Record<string, string> {
  return new HeaderRedactor(extraNames).redact(headers);
}
