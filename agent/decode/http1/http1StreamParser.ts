// One direction of an HTTP/1.x connection, fed stream bytes split anywhere; emits each message when it ends.
// A stream that stops looking like HTTP is marked (`notHttp`) and ignored from then on; nothing throws. Bytes the
// capture lost where framing mattered (a head, chunk framing, past a body's end) end the message in progress as
// incomplete, and the parser looks for the next message start in what follows (`resyncs` counts those).
import { parseHeadBytes, startLooksLikeHttp } from './http1HeadParser';
import type { Http1Message, Http1Role } from './http1Message';
import { HttpHeaderList } from './httpHeaders';

const enum State {
  Head,
  FixedBody,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  // Framing was lost with captured bytes: skipping until a line that starts a message.
  Resync,
  NotHttp,
  Upgraded,
}

const LF = 0x0a;
const CR = 0x0d;
const MAX_LINE = 4096;
const DEFAULT_MAX_HEAD = 64 * 1024;
const CONTENT_LENGTH = /^[0-9]{1,15}$/;
// What a message start looks like at a line start, for finding one again after lost bytes (RFC 9112 §3, §4).
const MESSAGE_START: Record<Http1Role, RegExp> = {
  request: /(?:^|\n)(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) [!-~]+ HTTP\/1\.[01]\r?\n/,
  response: /(?:^|\n)HTTP\/1\.[01] [1-5][0-9]{2}[ \r\n]/,
};

export interface Http1ParserOptions {
  role: Http1Role;
  onMessage: (message: Http1Message) => void;
  // The head is complete; the body (if any) follows. A server may answer before a request's body ends.
  onHead?: (message: Http1Message) => void;
  // Lost bytes broke the framing: messages may be missing between the last one and the next.
  onResync?: () => void;
  // Body bytes kept per message; 0 (the default) keeps none and only counts.
  maxBodyBytes?: number;
  maxHeadBytes?: number;
}

export class Http1StreamParser {
  private state = State.Head;
  private headBuf = new Uint8Array(1024);
  private headLength = 0;
  // Blank-line detector across pushes: 1 after LF, 2 after LF CR.
  private eol = 0;
  private line = '';
  private remaining = 0;
  private message: Http1Message | undefined;
  private bodyParts: Uint8Array[] = [];
  private bodyKept = 0;
  // Methods of requests seen on the other direction, oldest first (a HEAD response has no body).
  private readonly pendingMethods: string[] = [];
  private firstByteUs = 0;
  private stopReason: string | undefined;
  // Times framing was lost to missing bytes and found again (or is being looked for).
  resyncs = 0;
  private readonly maxBody: number;
  private readonly maxHead: number;

  constructor(private readonly options: Http1ParserOptions) {
    this.maxBody = options.maxBodyBytes ?? 0;
    this.maxHead = options.maxHeadBytes ?? DEFAULT_MAX_HEAD;
  }

  // Why the stream was judged not to be HTTP/1, if it was.
  get notHttp(): string | undefined {
    return this.stopReason;
  }

  // After a 101 or a CONNECT tunnel the bytes belong to another protocol.
  get upgraded(): boolean {
    return this.state === State.Upgraded;
  }

  // Tell a response parser which request it answers next (HEAD and CONNECT change the framing).
  expectResponseTo(method: string): void {
    if (this.pendingMethods.length < 1024) {
      this.pendingMethods.push(method);
    }
  }

  push(bytes: Uint8Array, timeUs: number): void {
    let o = 0;
    while (o < bytes.length) {
      switch (this.state) {
        case State.Head:
          o = this.readHead(bytes, o, timeUs);
          break;
        case State.FixedBody:
        case State.ChunkData: {
          const take = Math.min(this.remaining, bytes.length - o);
          this.addBody(bytes, o, take);
          this.remaining -= take;
          o += take;
          if (this.remaining === 0) {
            if (this.state === State.FixedBody) {
              this.finish(timeUs, true);
            } else {
              this.state = State.ChunkDataEnd;
            }
          }
          break;
        }
        case State.ChunkSize:
        case State.ChunkDataEnd:
        case State.Trailers:
          o = this.readFramingLine(bytes, o, timeUs);
          break;
        case State.UntilClose:
          this.addBody(bytes, o, bytes.length - o);
          o = bytes.length;
          break;
        case State.Resync:
          o = this.findMessageStart(bytes, o);
          break;
        case State.NotHttp:
        case State.Upgraded:
          return;
      }
    }
  }

  // The connection closed: a read-until-close body ends here, any other open message ends incomplete.
  end(timeUs: number): void {
    if (this.message && this.state !== State.NotHttp && this.state !== State.Upgraded) {
      this.finish(timeUs, this.state === State.UntilClose);
    }
  }

  // `length` stream bytes were never captured: bodies absorb the loss, anything else loses the framing.
  gap(length: number, timeUs: number): void {
    if (
      this.message &&
      (this.state === State.UntilClose ||
        ((this.state === State.FixedBody || this.state === State.ChunkData) && length <= this.remaining))
    ) {
      this.message.complete = false;
      this.message.bodyLength += length;
      if (this.state !== State.UntilClose) {
        this.remaining -= length;
        if (this.remaining === 0) {
          if (this.state === State.FixedBody) {
            this.finish(timeUs, false);
          } else {
            this.state = State.ChunkDataEnd;
          }
        }
      }
      return;
    }
    if (this.state !== State.NotHttp && this.state !== State.Upgraded && this.state !== State.Resync) {
      this.resync(timeUs);
    }
  }

  // The message in progress (if its head was read) ends incomplete; whatever precedes the next message start is
  // skipped. Messages wholly inside the lost bytes are simply not seen.
  private resync(timeUs: number): void {
    if (this.message) {
      this.message.complete = false;
      this.finish(timeUs, false);
    }
    this.state = State.Resync;
    this.headLength = 0;
    this.line = '';
    this.remaining = 0;
    this.resyncs++;
    this.options.onResync?.();
  }

  private findMessageStart(bytes: Uint8Array, o: number): number {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + o, bytes.length - o).toString('latin1');
    const found = MESSAGE_START[this.options.role].exec(text);
    if (!found) {
      return bytes.length;
    }
    // The match may begin with the LF that ends the line before it.
    const start = found.index + (text.charCodeAt(found.index) === LF ? 1 : 0);
    this.state = State.Head;
    this.headLength = 0;
    return o + start;
  }

  private stop(reason: string): void {
    this.state = State.NotHttp;
    this.stopReason = reason;
    this.message = undefined;
    this.bodyParts = [];
    this.headLength = 0;
  }

  private readHead(bytes: Uint8Array, o: number, timeUs: number): number {
    if (this.headLength === 0) {
      // Stray CRLFs between messages are allowed (RFC 9112 §2.2).
      while (o < bytes.length && (bytes[o] === CR || bytes[o] === LF)) {
        o++;
      }
      if (o === bytes.length) {
        return o;
      }
      this.firstByteUs = timeUs;
      this.eol = 0;
    }
    let i = o;
    let found = false;
    let eol = this.eol;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === LF) {
        if (eol !== 0) {
          found = true;
          i++;
          break;
        }
        eol = 1;
      } else if (c === CR) {
        eol = eol === 1 ? 2 : 0;
      } else {
        eol = 0;
      }
    }
    this.eol = eol;
    if (!this.appendHead(bytes, o, i)) {
      return bytes.length;
    }
    if (found) {
      this.completeHead(timeUs);
    }
    return i;
  }

  private appendHead(bytes: Uint8Array, from: number, to: number): boolean {
    const length = to - from;
    if (this.headLength + length > this.maxHead) {
      this.stop(`message head longer than ${this.maxHead} bytes`);
      return false;
    }
    if (this.headLength + length > this.headBuf.length) {
      const grown = new Uint8Array(Math.max(this.headBuf.length * 2, this.headLength + length));
      grown.set(this.headBuf.subarray(0, this.headLength));
      this.headBuf = grown;
    }
    this.headBuf.set(bytes.subarray(from, to), this.headLength);
    this.headLength += length;
    if (!startLooksLikeHttp(this.headBuf, this.headLength, this.options.role)) {
      this.stop(`stream does not start like an HTTP/1 ${this.options.role}`);
      return false;
    }
    return true;
  }

  private completeHead(timeUs: number): void {
    const head = parseHeadBytes(this.headBuf, this.headLength, this.options.role);
    this.headLength = 0;
    if (typeof head === 'string') {
      this.stop(head);
      return;
    }
    this.message = {
      head,
      bodyLength: 0,
      bodyTruncated: false,
      firstByteUs: this.firstByteUs,
      lastByteUs: timeUs,
      complete: true,
    };
    this.bodyParts = [];
    this.bodyKept = 0;
    this.options.onHead?.(this.message);
    const framing =
      head.kind === 'request' ? requestFraming(head.headers) : this.responseFraming(head.status, head.headers);
    if (typeof framing === 'string') {
      this.stop(framing);
      return;
    }
    switch (framing.kind) {
      case 'none':
        this.finish(timeUs, true);
        if (framing.upgrade) {
          this.state = State.Upgraded;
        }
        return;
      case 'length':
        this.remaining = framing.length;
        if (framing.length === 0) {
          this.finish(timeUs, true);
        } else {
          this.state = State.FixedBody;
        }
        return;
      case 'chunked':
        this.state = State.ChunkSize;
        this.line = '';
        return;
      case 'close':
        this.state = State.UntilClose;
        return;
    }
  }

  private responseFraming(status: number, headers: HttpHeaderList): Framing | string {
    if (status >= 100 && status < 200) {
      // Interim responses answer nothing yet: the final one takes the pending method.
      return status === 101 ? { kind: 'none', upgrade: true } : { kind: 'none' };
    }
    const method = this.pendingMethods.shift();
    if (method === 'HEAD' || status === 204 || status === 304) {
      return { kind: 'none' };
    }
    if (method === 'CONNECT' && status >= 200 && status < 300) {
      return { kind: 'none', upgrade: true };
    }
    const te = headers.get('transfer-encoding');
    if (te !== undefined) {
      return isChunkedLast(te) ? { kind: 'chunked' } : { kind: 'close' };
    }
    const length = contentLength(headers);
    if (typeof length === 'string') {
      return length;
    }
    return length === undefined ? { kind: 'close' } : { kind: 'length', length };
  }

  private readFramingLine(bytes: Uint8Array, o: number, timeUs: number): number {
    let i = o;
    while (i < bytes.length && bytes[i] !== LF) {
      i++;
    }
    if (this.line.length + (i - o) > MAX_LINE) {
      this.stop('chunk framing line longer than 4096 bytes');
      return bytes.length;
    }
    this.line += Buffer.from(bytes.buffer, bytes.byteOffset + o, i - o).toString('latin1');
    if (i === bytes.length) {
      return i;
    }
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    this.onFramingLine(line, timeUs);
    return i + 1;
  }

  private onFramingLine(line: string, timeUs: number): void {
    switch (this.state) {
      case State.ChunkSize: {
        const sizeText = line.split(';')[0].trim();
        if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) {
          this.stop(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
          return;
        }
        const size = parseInt(sizeText, 16);
        this.remaining = size;
        this.state = size === 0 ? State.Trailers : State.ChunkData;
        return;
      }
      case State.ChunkDataEnd:
        if (line.length !== 0) {
          this.stop('chunk data not followed by CRLF');
          return;
        }
        this.state = State.ChunkSize;
        return;
      case State.Trailers: {
        if (line.length === 0) {
          this.finish(timeUs, true);
          return;
        }
        const colon = line.indexOf(':');
        if (colon > 0 && this.message) {
          this.message.trailers ??= new HttpHeaderList();
          this.message.trailers.add(line.slice(0, colon), line.slice(colon + 1).trim());
        }
        return;
      }
    }
  }

  private addBody(bytes: Uint8Array, o: number, length: number): void {
    const message = this.message;
    if (!message || length === 0) {
      return;
    }
    message.bodyLength += length;
    if (this.bodyKept < this.maxBody) {
      const keep = Math.min(length, this.maxBody - this.bodyKept);
      // A copy: the caller's bytes are a view into a capture buffer.
      this.bodyParts.push(bytes.slice(o, o + keep));
      this.bodyKept += keep;
    }
    if (message.bodyLength > this.bodyKept && this.maxBody > 0) {
      message.bodyTruncated = true;
    }
  }

  private finish(timeUs: number, complete: boolean): void {
    const message = this.message;
    this.state = State.Head;
    this.message = undefined;
    this.headLength = 0;
    if (!message) {
      return;
    }
    message.lastByteUs = timeUs;
    message.complete = message.complete && complete;
    if (this.bodyParts.length > 0) {
      message.body = this.bodyParts.length === 1 ? this.bodyParts[0] : Buffer.concat(this.bodyParts);
    }
    this.bodyParts = [];
    this.options.onMessage(message);
  }
}

type Framing =
  { kind: 'none'; upgrade?: boolean } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

function requestFraming(headers: HttpHeaderList): Framing | string {
  const te = headers.get('transfer-encoding');
  if (te !== undefined) {
    // A request body must be delimited: without chunked last there is no way to find its end.
    return isChunkedLast(te) ? { kind: 'chunked' } : `request Transfer-Encoding "${te}" does not end in chunked`;
  }
  const length = contentLength(headers);
  if (typeof length === 'string') {
    return length;
  }
  return { kind: 'length', length: length ?? 0 };
}

function isChunkedLast(te: string): boolean {
  const codings = te.split(',');
  return codings[codings.length - 1].trim().toLowerCase() === 'chunked';
}

// Duplicate Content-Length fields (or list values) must agree, else the framing is ambiguous.
function contentLength(headers: HttpHeaderList): number | undefined | string {
  const fields = headers.getAll('content-length');
  if (fields.length === 0) {
    return undefined;
  }
  // The common case: one field, one plain number.
  if (fields.length === 1 && CONTENT_LENGTH.test(fields[0])) {
    return Number(fields[0]);
  }
  const values = fields.flatMap((v) => v.split(',').map((s) => s.trim()));
  if (!values.every((v) => CONTENT_LENGTH.test(v)) || new Set(values).size !== 1) {
    return `invalid Content-Length ${JSON.stringify(values.join(', '))}`;
  }
  return Number(values[0]);
}
