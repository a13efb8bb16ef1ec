// DNS over TCP: each message carries a 2-byte length prefix (RFC 1035 §4.2.2); both directions feed the DNS pairing.
import type { ConnectionObserver } from './connectionObserver';
import type { DnsExchangeTracker, DnsMessageSummary } from './dnsExchangeTracker';
import type { StreamConsumer } from './streamReassembler';
import type { TcpConnection } from './tcpConnection';
import type { TrackerStats } from './trackerStats';

class LengthPrefixedReader implements StreamConsumer {
  private buffer = new Uint8Array(0);
  private broken = false;

  constructor(private readonly onMessage: (message: Uint8Array, timeUs: number) => void) {}

  onData(data: Uint8Array, timeUs: number): void {
    if (this.broken) {
      return;
    }
    const merged = new Uint8Array(this.buffer.length + data.length);
    merged.set(this.buffer, 0);
    merged.set(data, this.buffer.length);
    let o = 0;
    while (merged.length - o >= 2) {
      const length = (merged[o] << 8) | merged[o + 1];
      if (merged.length - o - 2 < length) {
        break;
      }
      this.onMessage(merged.subarray(o + 2, o + 2 + length), timeUs);
      o += 2 + length;
    }
    this.buffer = merged.slice(o);
  }

  // A hole in the stream loses the framing for good.
  onGap(): void {
    this.broken = true;
  }
}

export class DnsOverTcpReader implements ConnectionObserver {
  readonly appProtocol = 'dns';
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;

  constructor(
    conn: TcpConnection,
    parse: (message: Uint8Array) => DnsMessageSummary | undefined,
    dns: DnsExchangeTracker,
    stats: TrackerStats
  ) {
    const forward = (fromClient: boolean) => (bytes: Uint8Array, timeUs: number) => {
      const message = parse(bytes);
      if (!message) {
        stats.parseErrors++;
        return;
      }
      const c = conn;
      dns.onMessage(
        message,
        fromClient
          ? {
              timeUs,
              transport: 'tcp',
              srcIp: c.clientIp,
              srcPort: c.clientPort,
              dstIp: c.serverIp,
              dstPort: c.serverPort,
            }
          : {
              timeUs,
              transport: 'tcp',
              srcIp: c.serverIp,
              srcPort: c.serverPort,
              dstIp: c.clientIp,
              dstPort: c.clientPort,
            }
      );
    };
    this.fromClient = new LengthPrefixedReader(forward(true));
    this.fromServer = new LengthPrefixedReader(forward(false));
  }

  onClose(): void {}
}
