// TLS connections without decryption: the ClientHello (SNI, offered ALPN) and ServerHello (version, cipher, ALPN)
// become one `tls` event with the handshake's duration or how it failed; on HTTP/1 inside TLS, each request and
// response (told apart by who writes application data) becomes an encrypted `http` event with its time decomposition.
import type { NetworkEvent, TlsDetails, TlsFailure } from '../../model/events';
import { tlsAlertName } from '../decode/tls/alerts';
import { cipherSuiteName, tls13AlertRecordLength, tls13FinishedRecordLength } from '../decode/tls/cipherSuites';
import { TlsClientHelloParser, type TlsClientHello } from '../decode/tls/clientHello';
import {
  CONTENT_ALERT,
  CONTENT_APPLICATION_DATA,
  TlsRecordStream,
  type TlsRecord,
} from '../decode/tls/recordStream';
import { TlsServerHelloParser, type TlsServerHello } from '../decode/tls/serverHello';
import type { ConnectionObserver } from './connectionObserver';
import type { DnsLookupIndex } from './dnsLookupIndex';
import { ExchangeTimer, type ExchangeMarks } from './exchangeTimer';
import type { StreamConsumer } from './streamReassembler';
import type { Side, TcpConnection } from './tcpConnection';
import { TlsExchangeSplitter } from './tlsExchangeSplitter';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

// A client certificate flight (mTLS) puts a few records before the Finished; past this many, the size rule gave up.
const MAX_TLS13_CLIENT_FLIGHT = 4;

export class TlsHandshakeObserver implements ConnectionObserver {
  appProtocol = 'tls';
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;
  private readonly clientParser = new TlsClientHelloParser();
  private readonly serverParser = new TlsServerHelloParser();
  private readonly clientRecords = new TlsRecordStream((r) => this.onRecord('client', r));
  private readonly serverRecords = new TlsRecordStream((r) => this.onRecord('server', r));
  private clientHello: TlsClientHello | undefined;
  private serverHello: TlsServerHello | undefined;
  private helloUs = 0;
  private notTls = false;
  // The server answered the ClientHello with something else than a ServerHello (an alert, read as a record).
  private noServerHello = false;
  private reported = false;
  // Set by the client's first application data: the handshake is over.
  private handshakeEndUs: number | undefined;
  private clientFlight = 0;
  private clientFinished = false;
  private failure: TlsFailure | undefined;
  private splitter: TlsExchangeSplitter | undefined;
  private readonly timer: ExchangeTimer;

  constructor(
    private readonly conn: TcpConnection,
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats,
    dnsLookups?: DnsLookupIndex
  ) {
    this.timer = new ExchangeTimer(conn, dnsLookups);
    this.fromClient = {
      onData: (data, timeUs) => {
        if (this.notTls) {
          return;
        }
        if (!this.clientHello) {
          const r = this.clientParser.push(data);
          if (r.status === 'ok') {
            this.clientHello = r.hello;
            this.helloUs = timeUs;
          } else if (r.status === 'not-tls') {
            this.giveUp();
            return;
          }
        }
        this.clientRecords.push(data, timeUs);
        this.countBroken(this.clientRecords);
      },
      onGap: () => this.clientRecords.gap(),
    };
    this.fromServer = {
      onData: (data, timeUs) => {
        if (this.notTls || !this.clientHello) {
          return;
        }
        if (!this.serverHello && !this.noServerHello) {
          const r = this.serverParser.push(data);
          if (r.status === 'ok') {
            this.serverHello = r.hello;
          } else if (r.status === 'not-tls') {
            // An alert instead of a ServerHello is a refusal, read below; anything else is not TLS.
            if (data[0] !== CONTENT_ALERT) {
              this.giveUp();
              return;
            }
            this.noServerHello = true;
          }
        }
        this.serverRecords.push(data, timeUs);
        this.countBroken(this.serverRecords);
      },
      onGap: () => this.serverRecords.gap(),
    };
  }

  onClose(): void {
    this.splitter?.end();
    if (this.handshakeEndUs === undefined && !this.failure) {
      const resetBy = this.conn.resetBy;
      this.failure = resetBy ? { reason: 'reset', by: resetBy } : { reason: 'closed', by: 'client' };
    }
    this.report();
  }

  private giveUp(): void {
    this.stats.parseErrors++;
    this.notTls = true;
    this.report();
  }

  private countBroken(records: TlsRecordStream): void {
    if (records.broken && !this.notTls) {
      this.stats.parseErrors++;
      this.notTls = true;
    }
  }

  private onRecord(side: Side, r: TlsRecord): void {
    if (r.contentType === CONTENT_ALERT) {
      // Unencrypted alerts: before TLS 1.3 encryption starts, or any alert before 1.3.
      if (this.handshakeEndUs === undefined && !this.failure && r.head) {
        this.failure = { reason: 'alert', by: side, alert: tlsAlertName(r.head[1]) };
        this.report();
      }
      return;
    }
    if (r.contentType !== CONTENT_APPLICATION_DATA) {
      return;
    }
    const hello = this.serverHello;
    const tls13 = hello?.tls13 === true;
    // TLS 1.3 encrypts alerts too: only their size gives them away.
    if (tls13 && r.length === tls13AlertRecordLength(hello.cipherSuite)) {
      if (this.handshakeEndUs === undefined && !this.failure) {
        this.failure = { reason: 'alert', by: side };
        this.report();
      }
      return;
    }
    if (side === 'server') {
      // Before the client's first data: the server's encrypted handshake flight (TLS 1.3) or early tickets.
      this.splitter?.serverData(r);
      return;
    }
    if (this.handshakeEndUs === undefined) {
      if (tls13 && !this.clientFinished && this.clientFlight < MAX_TLS13_CLIENT_FLIGHT) {
        // The client's encrypted flight ends with its Finished, known by its size.
        this.clientFlight++;
        this.clientFinished = r.length === tls13FinishedRecordLength(hello.cipherSuite);
        return;
      }
      this.handshakeEndUs = r.startUs;
      this.report();
      if (this.followsHttp1()) {
        this.splitter = new TlsExchangeSplitter((marks) => this.reportExchange(marks), tls13);
      }
    }
    this.splitter?.clientData(r);
  }

  // Request/response alternation holds for HTTP/1 only; h2 multiplexes streams over the same records.
  private followsHttp1(): boolean {
    const alpn = this.serverHello?.alpn;
    return alpn === undefined || alpn.startsWith('http/1');
  }

  private base(): Pick<NetworkEvent, 'transport' | 'src' | 'dst' | 'source' | 'node' | 'underlay'> {
    const c = this.conn;
    return {
      transport: 'tcp',
      src: { ip: c.clientIp, port: c.clientPort },
      dst: { ip: c.serverIp, port: c.serverPort },
      source: this.options.source,
      ...(this.options.node ? { node: this.options.node } : {}),
      ...(c.underlay ? { underlay: c.underlay } : {}),
    };
  }

  private reportExchange(marks: ExchangeMarks): void {
    const hello = this.clientHello;
    const tls =
      this.handshakeEndUs !== undefined ? { startUs: this.helloUs, endUs: this.handshakeEndUs } : undefined;
    this.emit({
      kind: 'http',
      time: marks.requestStartUs,
      ...(marks.responseEndUs !== undefined ? { endTime: marks.responseEndUs } : {}),
      ...this.base(),
      http: {
        method: '',
        path: '',
        ...(hello?.sni ? { host: hello.sni } : {}),
        ...(marks.responseStartUs !== undefined ? { latencyUs: marks.responseStartUs - marks.requestStartUs } : {}),
        requestHeaders: {},
        protocol: this.serverHello?.alpn ?? 'tls',
        encrypted: true,
        timing: this.timer.timing(marks, tls),
      },
    });
  }

  private report(): void {
    const hello = this.clientHello;
    if (this.reported || !hello) {
      return;
    }
    this.reported = true;
    const server = this.serverHello;
    const negotiatedAlpn = server?.alpn;
    // ALPN h2 over TLS is how gRPC usually travels; the flow says so rather than just "tls".
    if (negotiatedAlpn === 'h2' || (!server && hello.alpn[0] === 'h2')) {
      this.appProtocol = 'tls/h2';
    }
    const details: TlsDetails = {
      ...(hello.sni ? { sni: hello.sni } : {}),
      version: server?.version ?? hello.version,
      ...(server ? { cipher: cipherSuiteName(server.cipherSuite), cipherSuite: server.cipherSuite } : {}),
      ...(hello.alpn.length > 0 ? { offeredAlpn: hello.alpn } : {}),
      ...(negotiatedAlpn ? { alpn: negotiatedAlpn } : {}),
      ...(this.handshakeEndUs !== undefined ? { handshakeUs: this.handshakeEndUs - this.helloUs } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
    };
    this.emit({
      kind: 'tls',
      time: this.helloUs,
      ...(this.handshakeEndUs !== undefined ? { endTime: this.handshakeEndUs } : {}),
      ...this.base(),
      tls: details,
    });
  }
}
