// Splits one direction of an HTTP/2 connection into frames (RFC 9113 §4.1), the client's preface first. DATA
// payloads are skipped as they stream by (only their length and flags matter); other payloads are kept whole up to
// a bound, and a larger one is reported and skipped.

export const FRAME = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME_HEADER_BYTES = 9;

export interface Http2Frame {
  type: number;
  flags: number;
  streamId: number;
  length: number;
  // The payload for every type but DATA (empty there), whole.
  payload: Uint8Array;
  // When the frame's first and last bytes arrived.
  timeUs: number;
  endUs: number;
}

export interface FrameReaderHandlers {
  onFrame(frame: Http2Frame): void;
  // The stream is not HTTP/2 (a wrong preface) or a frame was larger than kept: the direction stops here.
  onError(reason: string): void;
}

export class Http2FrameReader {
  private prefaceLeft: number;
  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private headerUs = 0;
  private current: { type: number; flags: number; streamId: number; length: number; timeUs: number } | undefined;
  private payload: Uint8Array | undefined;
  private payloadFill = 0;
  // Bytes of a DATA payload still to pass by.
  private skipping = 0;
  failed = false;

  constructor(
    private readonly handlers: FrameReaderHandlers,
    private readonly options: { expectPreface: boolean; maxFramePayload: number }
  ) {
    this.prefaceLeft = options.expectPreface ? CLIENT_PREFACE.length : 0;
  }

  push(data: Uint8Array, timeUs: number): void {
    let at = 0;
    while (at < data.length && !this.failed) {
      if (this.prefaceLeft > 0) {
        const offset = CLIENT_PREFACE.length - this.prefaceLeft;
        const n = Math.min(this.prefaceLeft, data.length - at);
        if (CLIENT_PREFACE.compare(data, at, at + n, offset, offset + n) !== 0) {
          this.fail('the client preface is not HTTP/2');
          return;
        }
        this.prefaceLeft -= n;
        at += n;
      } else if (this.skipping > 0) {
        const n = Math.min(this.skipping, data.length - at);
        this.skipping -= n;
        at += n;
        if (this.skipping === 0) {
          this.finishFrame(timeUs);
        }
      } else if (this.payload) {
        const n = Math.min(this.payload.length - this.payloadFill, data.length - at);
        this.payload.set(data.subarray(at, at + n), this.payloadFill);
        this.payloadFill += n;
        at += n;
        if (this.payloadFill === this.payload.length) {
          this.finishFrame(timeUs);
        }
      } else {
        if (this.headerFill === 0) {
          this.headerUs = timeUs;
        }
        const n = Math.min(FRAME_HEADER_BYTES - this.headerFill, data.length - at);
        this.header.set(data.subarray(at, at + n), this.headerFill);
        this.headerFill += n;
        at += n;
        if (this.headerFill === FRAME_HEADER_BYTES) {
          this.startFrame(timeUs);
        }
      }
    }
  }

  // Bytes the capture missed: frame boundaries are lost for good.
  gap(): void {
    this.fail('bytes missing from the capture');
  }

  private startFrame(timeUs: number): void {
    const h = this.header;
    this.headerFill = 0;
    const length = (h[0] << 16) | (h[1] << 8) | h[2];
    const frame = {
      type: h[3],
      flags: h[4],
      streamId: ((h[5] & 0x7f) << 24) | (h[6] << 16) | (h[7] << 8) | h[8],
      length,
      timeUs: this.headerUs,
    };
    this.current = frame;
    if (frame.type === FRAME.DATA) {
      this.skipping = length;
    } else if (length > this.options.maxFramePayload) {
      this.fail(`a frame of type ${frame.type} with ${length} bytes, above the ${this.options.maxFramePayload} kept`);
      return;
    } else {
      this.payload = new Uint8Array(length);
      this.payloadFill = 0;
    }
    if (length === 0) {
      this.finishFrame(timeUs);
    }
  }

  private finishFrame(endUs: number): void {
    const f = this.current!;
    const payload = this.payload ?? new Uint8Array(0);
    this.current = undefined;
    this.payload = undefined;
    this.handlers.onFrame({ ...f, payload, endUs });
  }

  private fail(reason: string): void {
    if (!this.failed) {
      this.failed = true;
      this.payload = undefined;
      this.handlers.onError(reason);
    }
  }
}

// A server speaking first with HTTP/2: its preface is a SETTINGS frame on stream 0 (RFC 9113 §3.4), not an ACK.
export function looksLikeServerPreface(b: Uint8Array): boolean {
  if (b.length < FRAME_HEADER_BYTES) {
    return false;
  }
  const length = (b[0] << 16) | (b[1] << 8) | b[2];
  const streamId = ((b[5] & 0x7f) << 24) | (b[6] << 16) | (b[7] << 8) | b[8];
  return b[3] === FRAME.SETTINGS && (b[4] & FLAG.ACK) === 0 && streamId === 0 && length % 6 === 0 && length <= 6 * 16;
}

// The first bytes of a client stream cut short inside the preface.
export function startsClientPreface(b: Uint8Array): boolean {
  const n = Math.min(b.length, CLIENT_PREFACE.length);
  return n > 0 && CLIENT_PREFACE.compare(b, 0, n, 0, n) === 0;
}
