// TLS records → the first handshake message, whatever the record and segment boundaries.

export type HandshakeResult =
  { status: 'need-more' } | { status: 'not-tls'; reason: string } | { status: 'ok'; body: Uint8Array };

const CONTENT_HANDSHAKE = 22;
const MAX_RECORD = 16384 + 2048;
// A hello with post-quantum key shares is a few KiB; 64 KiB is far past anything real.
const MAX_MESSAGE = 65536;

export class TlsHandshakeAssembler {
  private records: Uint8Array = new Uint8Array(0);
  private handshake: Uint8Array = new Uint8Array(0);
  private result: HandshakeResult = { status: 'need-more' };

  constructor(
    private readonly messageType: number,
    private readonly messageName: string
  ) {}

  push(bytes: Uint8Array): HandshakeResult {
    if (this.result.status !== 'need-more') {
      return this.result;
    }
    this.records = concat(this.records, bytes);
    let o = 0;
    while (this.records.length - o >= 5) {
      const r = this.records;
      if (r[o] !== CONTENT_HANDSHAKE || r[o + 1] !== 3 || r[o + 2] > 4) {
        return this.fail(
          `record header ${Buffer.from(r.subarray(o, o + 3)).toString('hex')} is not a TLS handshake record`
        );
      }
      const length = (r[o + 3] << 8) | r[o + 4];
      if (length === 0 || length > MAX_RECORD) {
        return this.fail(`TLS record length ${length} is impossible`);
      }
      if (r.length - o - 5 < length) {
        break;
      }
      this.handshake = concat(this.handshake, r.subarray(o + 5, o + 5 + length));
      o += 5 + length;
      // Records after the message (ChangeCipherSpec, the rest of the flight) are not ours to judge.
      const done = this.checkMessage();
      if (done) {
        return done;
      }
    }
    this.records = this.records.slice(o);
    return this.result;
  }

  private checkMessage(): HandshakeResult | undefined {
    const h = this.handshake;
    if (h.length < 4) {
      return undefined;
    }
    if (h[0] !== this.messageType) {
      return this.fail(`first handshake message is type ${h[0]}, not ${this.messageName}`);
    }
    const length = (h[1] << 16) | (h[2] << 8) | h[3];
    if (length > MAX_MESSAGE) {
      return this.fail(`${this.messageName} length ${length} is impossible`);
    }
    if (h.length < 4 + length) {
      return undefined;
    }
    this.result = { status: 'ok', body: h.subarray(4, 4 + length) };
    this.records = new Uint8Array(0);
    this.handshake = new Uint8Array(0);
    return this.result;
  }

  private fail(reason: string): HandshakeResult {
    this.result = { status: 'not-tls', reason };
    this.records = new Uint8Array(0);
    this.handshake = new Uint8Array(0);
    return this.result;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) {
    return b.slice();
  }
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
