// DNS over TCP: each message carries a 2-byte length prefix, and messages split or pack across segments freely.
import { parseDnsMessage, type DnsParseResult } from './dnsMessage';

export class DnsTcpStreamParser {
  private buffered: Uint8Array = new Uint8Array(0);
  private broken = false;

  constructor(private readonly onMessage: (result: DnsParseResult) => void) {}

  // True once the stream stopped looking like DNS; further bytes are ignored.
  get notDns(): boolean {
    return this.broken;
  }

  push(bytes: Uint8Array): void {
    if (this.broken || bytes.length === 0) {
      return;
    }
    let buf: Uint8Array;
    if (this.buffered.length === 0) {
      buf = bytes;
    } else {
      buf = new Uint8Array(this.buffered.length + bytes.length);
      buf.set(this.buffered, 0);
      buf.set(bytes, this.buffered.length);
    }
    let o = 0;
    while (buf.length - o >= 2) {
      const length = (buf[o] << 8) | buf[o + 1];
      if (length < 12) {
        this.broken = true;
        this.onMessage({ ok: false, error: `DNS over TCP length prefix ${length} is shorter than a DNS header` });
        this.buffered = new Uint8Array(0);
        return;
      }
      if (buf.length - o - 2 < length) {
        break;
      }
      this.onMessage(parseDnsMessage(buf.subarray(o + 2, o + 2 + length)));
      o += 2 + length;
    }
    // Keep our own copy (at most one 64 KiB message): the caller's buffer may be reused after push returns.
    this.buffered = buf.slice(o);
  }
}
