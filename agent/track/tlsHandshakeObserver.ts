// TLS connections: the ClientHello (SNI, offered ALPN) and the ServerHello (negotiated version) become one `tls` event.
import type { NetworkEvent } from '../../model/events';
import { TlsClientHelloParser, type TlsClientHello } from '../decode/tls/clientHello';
import { TlsServerHelloParser, type TlsServerHello } from '../decode/tls/serverHello';
import type { ConnectionObserver } from './connectionObserver';
import type { StreamConsumer } from './streamReassembler';
import type { TcpConnection } from './tcpConnection';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

export class TlsHandshakeObserver implements ConnectionObserver {
  appProtocol = 'tls';
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;
  private readonly clientParser = new TlsClientHelloParser();
  private readonly serverParser = new TlsServerHelloParser();
  private clientHello: TlsClientHello | undefined;
  private serverHello: TlsServerHello | undefined;
  private helloUs = 0;
  private reported = false;

  constructor(
    private readonly conn: TcpConnection,
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats
  ) {
    this.fromClient = {
      onData: (data, timeUs) => {
        if (this.clientHello || this.reported) {
          return;
        }
        const r = this.clientParser.push(data);
        if (r.status === 'ok') {
          this.clientHello = r.hello;
          this.helloUs = timeUs;
        } else if (r.status === 'not-tls') {
          this.stats.parseErrors++;
          this.reported = true;
        }
      },
      onGap: () => undefined,
    };
    this.fromServer = {
      onData: (data) => {
        if (this.serverHello || this.reported || !this.clientHello) {
          return;
        }
        const r = this.serverParser.push(data);
        if (r.status === 'ok') {
          this.serverHello = r.hello;
          this.report();
        } else if (r.status === 'not-tls') {
          this.stats.parseErrors++;
          this.report();
        }
      },
      onGap: () => undefined,
    };
  }

  onClose(): void {
    // A handshake the server never answered still names the server the client wanted.
    this.report();
  }

  private report(): void {
    const hello = this.clientHello;
    if (this.reported || !hello) {
      return;
    }
    this.reported = true;
    const negotiatedAlpn = this.serverHello?.alpn;
    // ALPN h2 over TLS is how gRPC usually travels; the flow says so rather than just "tls".
    if (negotiatedAlpn === 'h2' || (!this.serverHello && hello.alpn[0] === 'h2')) {
      this.appProtocol = 'tls/h2';
    }
    const c = this.conn;
    this.emit({
      kind: 'tls',
      time: this.helloUs,
      transport: 'tcp',
      src: { ip: c.clientIp, port: c.clientPort },
      dst: { ip: c.serverIp, port: c.serverPort },
      source: this.options.source,
      ...(this.options.node ? { node: this.options.node } : {}),
      tls: { ...(hello.sni ? { sni: hello.sni } : {}), version: this.serverHello?.version ?? hello.version },
    });
  }
}
