// Splits one direction of a TLS connection into record headers (type, length, when it started and ended) without
// decrypting anything: enough to time the handshake and the application data that follows. Never throws; a
// stream that stops looking like TLS records is marked broken and ignored from there on.

export interface TlsRecord {
  contentType: number;
  length: number;
  // Capture times of the segment holding the record's first byte and of the one that completed it.
  startUs: number;
  endUs: number;
  // The first two bytes of the body (an unencrypted alert's level and description), when the record has them.
  head?: [number, number];
}

export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;
const CONTENT_HEARTBEAT = 24;
// 2^14 plaintext plus the largest expansion TLS 1.2 allows.
const MAX_RECORD = 16384 + 2048;

export class TlsRecordStream {
  // Bytes of the header being read (a header can be split across segments).
  private readonly header = new Uint8Array(5);
  private headerHave = 0;
  // When the header's first byte was seen.
  private startUs = 0;
  private bodyLeft = 0;
  private current: TlsRecord | undefined;
  private bodyHead: number[] = [];
  broken: string | undefined;

  constructor(private readonly onRecord: (record: TlsRecord) => void) {}

  push(data: Uint8Array, timeUs: number): void {
    let o = 0;
    while (o < data.length && !this.broken) {
      if (this.current) {
        const take = Math.min(this.bodyLeft, data.length - o);
        for (let i = 0; i < take && this.bodyHead.length < 2; i++) {
          this.bodyHead.push(data[o + i]);
        }
        o += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) {
          this.complete(timeUs);
        }
        continue;
      }
      this.header[this.headerHave++] = data[o++];
      if (this.headerHave === 1) {
        this.startUs = timeUs;
      }
      if (this.headerHave === 5) {
        this.startRecord();
      }
    }
  }

  // Bytes the capture lost: record boundaries are unknown from here.
  gap(): void {
    this.broken ??= 'bytes missing from the capture';
  }

  private startRecord(): void {
    const h = this.header;
    this.headerHave = 0;
    const type = h[0];
    const length = (h[3] << 8) | h[4];
    if (type < CONTENT_CHANGE_CIPHER_SPEC || type > CONTENT_HEARTBEAT || h[1] !== 3 || h[2] > 4) {
      this.broken = `record header ${Buffer.from(h).toString('hex')} is not TLS`;
      return;
    }
    if (length === 0 || length > MAX_RECORD) {
      this.broken = `TLS record length ${length} is impossible`;
      return;
    }
    this.current = { contentType: type, length, startUs: this.startUs, endUs: this.startUs };
    this.bodyHead = [];
    this.bodyLeft = length;
  }

  private complete(timeUs: number): void {
    const record = this.current!;
    this.current = undefined;
    record.endUs = timeUs;
    if (this.bodyHead.length === 2) {
      record.head = [this.bodyHead[0], this.bodyHead[1]];
    }
    this.onRecord(record);
  }
}
