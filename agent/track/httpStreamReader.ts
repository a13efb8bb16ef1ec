// Splits one direction of an HTTP/1 connection into messages: finds each head, then skips (or keeps) its body.
import { bodyFraming, ChunkedBodyScanner, type BodyFraming } from './httpBodyFraming';
import type { HttpHead, HttpHeadParser } from './httpMessageTypes';
import type { StreamConsumer } from './streamReassembler';

const MAX_HEAD_BYTES = 64 * 1024;
const CRLFCRLF = [0x0d, 0x0a, 0x0d, 0x0a];

export interface HttpMessageListener {
  // firstByteUs: capture time of the message's first byte. Returns the request method a response answers (for framing).
  onHead(head: HttpHead, firstByteUs: number): string | undefined;
  onBody(chunk: Uint8Array): void;
  onMessageEnd(timeUs: number): void;
  // The stream stopped being HTTP/1 (protocol switch, garbage, or a gap we cannot cross).
  onStop(reason: 'upgrade' | 'invalid' | 'gap'): void;
}

export class HttpStreamReader implements StreamConsumer {
  private head: Uint8Array = new Uint8Array(0);
  private headStartUs = 0;
  private scanFrom = 0;
  private framing: BodyFraming | undefined;
  private chunked: ChunkedBodyScanner | undefined;
  private stopped = false;

  constructor(
    private readonly parse: HttpHeadParser,
    private readonly listener: HttpMessageListener
  ) {}

  onData(data: Uint8Array, timeUs: number): void {
    let offset = 0;
    while (offset < data.length && !this.stopped) {
      offset = this.framing ? this.readBody(data, offset, timeUs) : this.readHead(data, offset, timeUs);
    }
  }

  onGap(): void {
    if (!this.stopped) {
      this.stop('gap');
    }
  }

  // The connection closed: a body delimited by close ends here.
  end(timeUs: number): void {
    if (this.framing?.kind === 'close') {
      this.framing = undefined;
      this.listener.onMessageEnd(timeUs);
    }
  }

  private readHead(data: Uint8Array, offset: number, timeUs: number): number {
    if (this.head.length === 0) {
      this.headStartUs = timeUs;
    }
    const available = data.subarray(offset);
    const combined = this.head.length === 0 ? available : concat(this.head, available);
    const end = indexOfCrlfCrlf(combined, Math.max(0, this.scanFrom - 3));
    if (end < 0) {
      if (combined.length > MAX_HEAD_BYTES) {
        this.stop('invalid');
        return data.length;
      }
      // Keep a copy: the capture buffer behind `data` is reused.
      this.head = this.head.length === 0 ? available.slice() : combined;
      this.scanFrom = combined.length;
      return data.length;
    }
    const headBytes = combined.subarray(0, end + 4);
    const consumed = end + 4 - this.head.length;
    this.head = new Uint8Array(0);
    this.scanFrom = 0;
    const head = this.parse(headBytes);
    if (!head) {
      this.stop('invalid');
      return data.length;
    }
    const method = this.listener.onHead(head, this.headStartUs);
    if (head.kind === 'response' && head.status === 101) {
      this.stop('upgrade');
      return data.length;
    }
    const framing = bodyFraming(head, method);
    if (!framing) {
      this.stop('invalid');
      return data.length;
    }
    if (framing.kind === 'none') {
      this.listener.onMessageEnd(timeUs);
    } else {
      this.framing = framing;
      this.chunked = framing.kind === 'chunked' ? new ChunkedBodyScanner() : undefined;
    }
    return offset + consumed;
  }

  private readBody(data: Uint8Array, offset: number, timeUs: number): number {
    const framing = this.framing!;
    let used: number;
    if (framing.kind === 'length') {
      used = Math.min(framing.remaining, data.length - offset);
      framing.remaining -= used;
    } else if (framing.kind === 'chunked') {
      used = this.chunked!.consume(data, offset);
      if (this.chunked!.invalid) {
        this.stop('invalid');
        return data.length;
      }
    } else {
      used = data.length - offset;
    }
    this.listener.onBody(data.subarray(offset, offset + used));
    const finished =
      framing.kind === 'length' ? framing.remaining === 0 : framing.kind === 'chunked' ? this.chunked!.done : false;
    if (finished) {
      this.framing = undefined;
      this.chunked = undefined;
      this.listener.onMessageEnd(timeUs);
    }
    return offset + used;
  }

  private stop(reason: 'upgrade' | 'invalid' | 'gap'): void {
    this.stopped = true;
    this.framing = undefined;
    this.head = new Uint8Array(0);
    this.listener.onStop(reason);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function indexOfCrlfCrlf(b: Uint8Array, from: number): number {
  for (let i = from; i + 3 < b.length; i++) {
    if (b[i] === CRLFCRLF[0] && b[i + 1] === CRLFCRLF[1] && b[i + 2] === CRLFCRLF[2] && b[i + 3] === CRLFCRLF[3]) {
      return i;
    }
  }
  return -1;
}
