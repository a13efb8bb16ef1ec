// The head of an HTTP/1.x message: start line and header fields (obs-fold unfolded), or why it is not HTTP.
import type { Http1RequestHead, Http1ResponseHead, Http1Role } from './http1Message';
import { HttpHeaderList } from './httpHeaders';

const METHOD = /^[A-Z][A-Z_-]{0,19}$/;
const VERSION = /^HTTP\/1\.[01]$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) ([0-9]{3})(?: (.*))?$/;
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export type HeadParse = Http1RequestHead | Http1ResponseHead | string;

// `text` is the head in latin1 without its terminating blank line.
export function parseHead(text: string, role: Http1Role): HeadParse {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const start = lines[0];
  const headers = new HttpHeaderList();
  let previous: [string, string] | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) {
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      // obs-fold: a continuation of the previous field's value.
      if (!previous) {
        return `header continuation without a field on line ${i + 1}`;
      }
      previous[1] = `${previous[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name)) {
      return `line ${i + 1} is not a header field`;
    }
    headers.add(name, line.slice(colon + 1).trim());
    previous = headers.entries[headers.entries.length - 1];
  }
  if (role === 'request') {
    const parts = start.split(' ');
    if (parts.length !== 3 || !METHOD.test(parts[0]) || parts[1].length === 0 || !VERSION.test(parts[2])) {
      return `not an HTTP/1 request line: ${JSON.stringify(start.slice(0, 40))}`;
    }
    return { kind: 'request', method: parts[0], target: parts[1], version: parts[2], headers };
  }
  const m = STATUS_LINE.exec(start);
  if (!m) {
    return `not an HTTP/1 status line: ${JSON.stringify(start.slice(0, 40))}`;
  }
  return { kind: 'response', version: m[1], status: Number(m[2]), reason: m[3] ?? '', headers };
}

// Cheap early check on the first bytes, so a binary stream is rejected before a whole head is buffered.
export function startLooksLikeHttp(b: Uint8Array, length: number, role: Http1Role): boolean {
  if (role === 'response') {
    const prefix = 'HTTP/1.';
    for (let i = 0; i < Math.min(length, prefix.length); i++) {
      if (b[i] !== prefix.charCodeAt(i)) {
        return false;
      }
    }
    return true;
  }
  for (let i = 0; i < Math.min(length, 21); i++) {
    const c = b[i];
    if (c === 0x20) {
      return i > 0;
    }
    if (!((c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d)) {
      return false;
    }
  }
  return length < 21;
}
