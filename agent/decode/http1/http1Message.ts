// What the HTTP/1.x parser emits: one message per request or response, body counted and optionally kept.
import type { HttpHeaderList } from './httpHeaders';

export interface Http1RequestHead {
  kind: 'request';
  method: string;
  target: string;
  version: string;
  headers: HttpHeaderList;
}

export interface Http1ResponseHead {
  kind: 'response';
  status: number;
  reason: string;
  version: string;
  headers: HttpHeaderList;
}

export interface Http1Message {
  head: Http1RequestHead | Http1ResponseHead;
  // Body bytes after transfer decoding (chunk framing removed).
  bodyLength: number;
  // The first `maxBodyBytes` of the body, when body capture is enabled.
  body?: Uint8Array;
  bodyTruncated: boolean;
  // Trailer fields of a chunked body.
  trailers?: HttpHeaderList;
  // Capture times of the first head byte and of the byte that completed the message.
  firstByteUs: number;
  lastByteUs: number;
  // False when the connection closed (or bytes were lost) before the framing said the message ended.
  complete: boolean;
}

export type Http1Role = 'request' | 'response';
