// Blocklist files: one IPv4 or IPv6 CIDR (or bare address) per line, `#` starts a comment. A line that is not one
// is reported with its line number and skipped; the rest of the file still counts.
import { type Cidr, parseCidr } from './cidr';

export interface BlocklistEntry {
  file: string;
  line: number;
  cidr: Cidr;
}

export interface BlocklistProblem {
  file: string;
  line: number;
  text: string;
  reason: string;
}

export interface ParsedBlocklist {
  entries: BlocklistEntry[];
  // The first malformed lines, each with its line number.
  problems: BlocklistProblem[];
  malformedLines: number;
}

// Problems kept per file: a file of garbage is reported by its first lines and a count, not line by line forever.
export const MAX_REPORTED_PROBLEMS = 20;

export function parseBlocklist(text: string, file: string): ParsedBlocklist {
  const entries: BlocklistEntry[] = [];
  const problems: BlocklistProblem[] = [];
  let malformedLines = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const content = (hash < 0 ? lines[i] : lines[i].slice(0, hash)).trim();
    if (!content) {
      continue;
    }
    const cidr = /\s/.test(content) ? `more than one field in "${content}"` : parseCidr(content);
    if (typeof cidr === 'string') {
      malformedLines++;
      if (problems.length < MAX_REPORTED_PROBLEMS) {
        problems.push({ file, line: i + 1, text: content.slice(0, 80), reason: cidr });
      }
      continue;
    }
    entries.push({ file, line: i + 1, cidr });
  }
  return { entries, problems, malformedLines };
}

export function describeProblem(p: BlocklistProblem): string {
  return `blocklist ${p.file} line ${p.line}: ${p.reason}; the line is skipped`;
}
