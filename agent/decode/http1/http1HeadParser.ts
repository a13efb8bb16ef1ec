// The head of an HTTP/1.x message: start line and header fields (obs-fold unfolded), or why it is not HTTP.
// Lines and fields are found by scanning bytes; strings are cut only for the start line, names and values.
import type { Http1RequestHead, Http1ResponseHead, Http1Role } from './http1Message';
import { HttpHeaderList } from './httpHeaders';

const METHOD = /^[A-Z][A-Z_-]{0,19}$/;
// HTTP/1.x, with the odd extra minor part some clients send (HTTP/1.0.8), as tshark takes it.
const VERSION = /^HTTP\/1\.[0-9](?:\.[0-9]+)*$/;
const STATUS_LINE = /^(HTTP\/1\.[01]) ([0-9]{3})(?: (.*))?$/;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

// RFC 9110 tchar: the bytes a field name may hold.
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+.^_`|~-") {
  TCHAR[c.charCodeAt(0)] = 1;
}
for (let c = 0x30; c <= 0x39; c++) {
  TCHAR[c] = 1;
}
for (let c = 0x41; c <= 0x5a; c++) {
  TCHAR[c] = 1;
  TCHAR[c + 0x20] = 1;
}

// What String.prototype.trim removes, among latin1 characters: values are trimmed exactly as before.
const TRIMMED = new Uint8Array(256);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) {
  TRIMMED[c] = 1;
}

export type HeadParse = Http1RequestHead | Http1ResponseHead | string;

// `text` is the head in latin1, with or without its terminating blank line.
export function parseHead(text: string, role: Http1Role): HeadParse {
  return parseHeadBytes(Buffer.from(text, 'latin1'), text.length, role, text);
}

// The head is b[0, length); `text` is the same bytes as a latin1 string when the caller already has it.
export function parseHeadBytes(b: Uint8Array, length: number, role: Http1Role, text?: string): HeadParse {
  const s = text ?? Buffer.from(b.buffer, b.byteOffset, length).toString('latin1');
  const headers = new HttpHeaderList();
  let start: string | undefined;
  let previous: [string, string] | undefined;
  let lineNumber = 0;
  let lineStart = 0;
  while (lineStart <= length) {
    let lineEnd = lineStart;
    while (lineEnd < length && b[lineEnd] !== LF) {
      lineEnd++;
    }
    const next = lineEnd + 1;
    if (lineEnd > lineStart && b[lineEnd - 1] === CR) {
      lineEnd--;
    }
    lineNumber++;
    if (start === undefined) {
      start = s.slice(lineStart, lineEnd);
    } else if (lineEnd > lineStart) {
      const first = b[lineStart];
      if (first === SP || first === HTAB) {
        // obs-fold: a continuation of the previous field's value.
        if (!previous) {
          return `header continuation without a field on line ${lineNumber}`;
        }
        previous[1] = `${previous[1]} ${s.slice(lineStart, lineEnd).trim()}`.trim();
      } else {
        const field = addField(b, s, lineStart, lineEnd, headers);
        if (!field) {
          return `line ${lineNumber} is not a header field`;
        }
        previous = field;
      }
    }
    lineStart = next;
  }
  return role === 'request' ? requestHead(start ?? '', headers) : responseHead(start ?? '', headers);
}

function addField(
  b: Uint8Array,
  s: string,
  lineStart: number,
  lineEnd: number,
  headers: HttpHeaderList
): [string, string] | undefined {
  let colon = lineStart;
  let upper = false;
  while (colon < lineEnd && b[colon] !== COLON) {
    const c = b[colon];
    if (TCHAR[c] === 0) {
      return undefined;
    }
    upper ||= c >= 0x41 && c <= 0x5a;
    colon++;
  }
  if (colon === lineStart || colon === lineEnd) {
    return undefined;
  }
  let valueStart = colon + 1;
  let valueEnd = lineEnd;
  while (valueStart < valueEnd && TRIMMED[b[valueStart]] === 1) {
    valueStart++;
  }
  while (valueEnd > valueStart && TRIMMED[b[valueEnd - 1]] === 1) {
    valueEnd--;
  }
  const name = s.slice(lineStart, colon);
  headers.add(name, s.slice(valueStart, valueEnd), upper ? name.toLowerCase() : name);
  return headers.entries[headers.entries.length - 1];
}

function requestHead(start: string, headers: HttpHeaderList): HeadParse {
  const parts = start.split(' ');
  if (parts.length !== 3 || !METHOD.test(parts[0]) || parts[1].length === 0 || !VERSION.test(parts[2])) {
    return `not an HTTP/1 request line: ${JSON.stringify(start.slice(0, 40))}`;
  }
  return { kind: 'request', method: parts[0], target: parts[1], version: parts[2], headers };
}

function responseHead(start: string, headers: HttpHeaderList): HeadParse {
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
