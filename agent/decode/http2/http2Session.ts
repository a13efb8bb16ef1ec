// Both directions of one HTTP/2 connection as the observer needs them: whole header blocks (HEADERS or PUSH_PROMISE
// plus CONTINUATIONs, padding and priority removed) decoded by each direction's HPACK table, DATA lengths, stream
// resets and GOAWAY. A direction that turns unreadable stops there, with the reason reported once.
import { FLAG, FRAME, Http2FrameReader, type Http2Frame } from './http2FrameReader';
import { HpackDecoder, type HeaderField } from './hpackDecoder';

export type Http2Side = 'client' | 'server';

export interface Http2SessionHandlers {
  onHeaders(side: Http2Side, streamId: number, headers: HeaderField[], endStream: boolean, timeUs: number): void;
  onData(side: Http2Side, streamId: number, bytes: number, endStream: boolean, timeUs: number, endUs: number): void;
  onReset(side: Http2Side, streamId: number, errorCode: number, timeUs: number): void;
  onGoAway(side: Http2Side, lastStreamId: number, errorCode: number, timeUs: number): void;
  onMalformed(side: Http2Side, reason: string): void;
}

export interface Http2Limits {
  maxTableBytes: number;
  maxHeaderListBytes: number;
  // Largest non-DATA frame payload kept, and largest header block assembled from CONTINUATIONs.
  maxFramePayload: number;
}

export const DEFAULT_HTTP2_LIMITS: Http2Limits = {
  maxTableBytes: 64 * 1024,
  maxHeaderListBytes: 64 * 1024,
  maxFramePayload: 64 * 1024,
};

const SETTINGS_HEADER_TABLE_SIZE = 1;

interface PendingBlock {
  streamId: number;
  endStream: boolean;
  push: boolean;
  timeUs: number;
  fragments: Uint8Array[];
  bytes: number;
}

class Direction {
  readonly reader: Http2FrameReader;
  readonly hpack: HpackDecoder;
  block: PendingBlock | undefined;
  broken = false;

  constructor(side: Http2Side, limits: Http2Limits, onFrame: (f: Http2Frame) => void, onError: (r: string) => void) {
    this.hpack = new HpackDecoder(limits);
    this.reader = new Http2FrameReader(
      { onFrame, onError },
      { expectPreface: side === 'client', maxFramePayload: limits.maxFramePayload }
    );
  }
}

export class Http2Session {
  private readonly client: Direction;
  private readonly server: Direction;

  constructor(
    private readonly handlers: Http2SessionHandlers,
    private readonly limits: Http2Limits = DEFAULT_HTTP2_LIMITS
  ) {
    this.client = this.direction('client');
    this.server = this.direction('server');
  }

  push(side: Http2Side, data: Uint8Array, timeUs: number): void {
    const d = side === 'client' ? this.client : this.server;
    if (!d.broken) {
      d.reader.push(data, timeUs);
    }
  }

  gap(side: Http2Side): void {
    const d = side === 'client' ? this.client : this.server;
    if (!d.broken) {
      d.reader.gap();
    }
  }

  private direction(side: Http2Side): Direction {
    const d: Direction = new Direction(
      side,
      this.limits,
      (frame) => {
        if (!d.broken) {
          this.onFrame(side, d, frame);
        }
      },
      (reason) => this.fail(side, d, reason)
    );
    return d;
  }

  private onFrame(side: Http2Side, d: Direction, f: Http2Frame): void {
    // RFC 9113 §6.10: once a header block starts, only its CONTINUATIONs may follow on the connection.
    if (d.block && f.type !== FRAME.CONTINUATION) {
      this.fail(side, d, `frame type ${f.type} inside a header block`);
      return;
    }
    switch (f.type) {
      case FRAME.DATA:
        if (f.streamId !== 0) {
          this.handlers.onData(side, f.streamId, f.length, (f.flags & FLAG.END_STREAM) !== 0, f.timeUs, f.endUs);
        }
        return;
      case FRAME.HEADERS:
      case FRAME.PUSH_PROMISE:
        this.startBlock(side, d, f);
        return;
      case FRAME.CONTINUATION:
        if (!d.block || d.block.streamId !== f.streamId) {
          this.fail(side, d, 'CONTINUATION without its header block');
          return;
        }
        this.addFragment(side, d, f.payload, (f.flags & FLAG.END_HEADERS) !== 0);
        return;
      case FRAME.RST_STREAM:
        if (f.payload.length === 4 && f.streamId !== 0) {
          this.handlers.onReset(side, f.streamId, readUint32(f.payload, 0), f.timeUs);
        }
        return;
      case FRAME.SETTINGS:
        this.onSettings(side, f);
        return;
      case FRAME.GOAWAY:
        if (f.payload.length >= 8) {
          this.handlers.onGoAway(side, readUint32(f.payload, 0) & 0x7fffffff, readUint32(f.payload, 4), f.timeUs);
        }
        return;
      default:
        // PRIORITY, PING, WINDOW_UPDATE and unknown types carry nothing the exchange needs.
        return;
    }
  }

  private startBlock(side: Http2Side, d: Direction, f: Http2Frame): void {
    let p = f.payload;
    let padding = 0;
    if (f.flags & FLAG.PADDED) {
      if (p.length < 1) {
        this.fail(side, d, 'padded frame without its pad length');
        return;
      }
      padding = p[0];
      p = p.subarray(1);
    }
    // HEADERS may carry a priority block (5 bytes); PUSH_PROMISE carries the promised stream id (4 bytes).
    const skip = f.type === FRAME.PUSH_PROMISE ? 4 : f.flags & FLAG.PRIORITY ? 5 : 0;
    if (skip + padding > p.length) {
      this.fail(side, d, `padding of ${padding} bytes longer than the frame`);
      return;
    }
    d.block = {
      streamId: f.streamId,
      endStream: f.type === FRAME.HEADERS && (f.flags & FLAG.END_STREAM) !== 0,
      push: f.type === FRAME.PUSH_PROMISE,
      timeUs: f.timeUs,
      fragments: [],
      bytes: 0,
    };
    this.addFragment(side, d, p.subarray(skip, p.length - padding), (f.flags & FLAG.END_HEADERS) !== 0);
  }

  private addFragment(side: Http2Side, d: Direction, fragment: Uint8Array, last: boolean): void {
    const block = d.block!;
    block.fragments.push(fragment);
    block.bytes += fragment.length;
    if (block.bytes > this.limits.maxFramePayload) {
      this.fail(side, d, `header block above ${this.limits.maxFramePayload} bytes`);
      return;
    }
    if (!last) {
      return;
    }
    d.block = undefined;
    const whole = block.fragments.length === 1 ? block.fragments[0] : Buffer.concat(block.fragments);
    // Every block goes through the table, a pushed one too: skipping one would leave the table out of step.
    const result = d.hpack.decode(whole);
    if (!result.ok) {
      this.fail(side, d, `HPACK: ${result.reason}`);
      return;
    }
    if (!block.push) {
      this.handlers.onHeaders(side, block.streamId, result.headers, block.endStream, block.timeUs);
    }
  }

  // A side's SETTINGS_HEADER_TABLE_SIZE bounds the table the other side's encoder uses.
  private onSettings(side: Http2Side, f: Http2Frame): void {
    if (f.flags & FLAG.ACK || f.payload.length % 6 !== 0) {
      return;
    }
    const peer = side === 'client' ? this.server : this.client;
    for (let at = 0; at < f.payload.length; at += 6) {
      const id = (f.payload[at] << 8) | f.payload[at + 1];
      if (id === SETTINGS_HEADER_TABLE_SIZE) {
        peer.hpack.setAllowedTableSize(readUint32(f.payload, at + 2));
      }
    }
  }

  private fail(side: Http2Side, d: Direction, reason: string): void {
    if (d.broken) {
      return;
    }
    d.broken = true;
    d.block = undefined;
    this.handlers.onMalformed(side, reason);
  }
}

function readUint32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}
