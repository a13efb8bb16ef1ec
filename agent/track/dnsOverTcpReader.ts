// DNS over TCP: both directions of a port-53 connection feed the DNS pairing, message by message.
import { dnsTcpReader } from './dnsMessageSummary';
import type { ConnectionObserver } from './connectionObserver';
import type { DnsExchangeTracker, DnsPacketContext } from './dnsExchangeTracker';
import type { StreamConsumer } from './streamReassembler';
import type { TcpConnection } from './tcpConnection';
import type { TrackerStats } from './trackerStats';

export class DnsOverTcpReader implements ConnectionObserver {
  readonly appProtocol = 'dns';
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;

  constructor(conn: TcpConnection, dns: DnsExchangeTracker, stats: TrackerStats) {
    const direction = (fromClient: boolean): StreamConsumer => {
      let timeUs = 0;
      const c = conn;
      const ctx = (): DnsPacketContext =>
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
            };
      let broken = false;
      const reader = dnsTcpReader((message) => {
        if (message) {
          dns.onMessage(message, ctx());
        } else {
          stats.parseErrors++;
        }
      });
      return {
        onData: (data, t) => {
          timeUs = t;
          if (!broken) {
            reader.push(data);
          }
        },
        // A hole in the stream loses the length framing for good.
        onGap: () => (broken = true),
      };
    };
    this.fromClient = direction(true);
    this.fromServer = direction(false);
  }

  onClose(): void {}
}
