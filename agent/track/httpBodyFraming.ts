// Where an HTTP/1 message body ends (RFC 9112 §6.3): Content-Length, chunked transfer coding, or the connection close.
import type { HttpHead } from './httpMessageTypes';

export type BodyFraming =
  { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' };

export function bodyFraming(head: HttpHead, requestMethod?: string): BodyFraming | undefined {
  if (head.kind === 'response') {
    const status = head.status ?? 0;
    if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) {
      return { kind: 'none' };
    }
    if (requestMethod === 'CONNECT' && status >= 200 && status < 300) {
      return { kind: 'close' };
    }
  }
  const te = head.headers['transfer-encoding'];
  if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) {
    return { kind: 'chunked' };
  }
  const cl = head.headers['content-length'];
  if (cl !== undefined) {
    // Repeated identical values ("5, 5") are allowed; anything else is not a length we can trust.
    const values = new Set(cl.split(',').map((v) => v.trim()));
    const [only] = values;
    if (values.size !== 1 || !/^\d{1,15}$/.test(only)) {
      return undefined;
    }
    const n = Number(only);
    return n === 0 ? { kind: 'none' } : { kind: 'length', remaining: n };
  }
  return head.kind === 'request' ? { kind: 'none' } : { kind: 'close' };
}

// Walks a chunked body as bytes arrive; reports how much of each chunk of input belongs to the body.
export class ChunkedBodyScanner {
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' = 'size';
  private line = '';
  private remaining = 0;
  done = false;
  invalid = false;

  // Returns how many bytes of `data` (from `offset`) were consumed by the body; stops at its end.
  consume(data: Uint8Array, offset: number): number {
    let i = offset;
    while (i < data.length && !this.done && !this.invalid) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, data.length - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) {
          this.state = 'data-crlf';
          this.line = '';
        }
        continue;
      }
      const byte = data[i++];
      if (byte !== 0x0a) {
        if (this.line.length > 4096) {
          this.invalid = true;
        }
        this.line += String.fromCharCode(byte);
        continue;
      }
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      this.onLine(line);
    }
    return i - offset;
  }

  private onLine(line: string): void {
    if (this.state === 'data-crlf') {
      this.state = 'size';
      if (line !== '') {
        this.invalid = true;
      }
      return;
    }
    if (this.state === 'trailer') {
      if (line === '') {
        this.done = true;
      }
      return;
    }
    const size = /^([0-9a-fA-F]{1,12})\s*(;.*)?$/.exec(line);
    if (!size) {
      this.invalid = true;
      return;
    }
    this.remaining = parseInt(size[1], 16);
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }
}
