// Decides from a connection's first payload which application tracker follows it.
import type { NetworkEvent } from '../../model/events';
import type { AppParsers } from './appParsers';
import type { ConnectionClassifier, ConnectionObserver } from './connectionObserver';
import type { DnsExchangeTracker } from './dnsExchangeTracker';
import { DnsOverTcpReader } from './dnsOverTcpReader';
import { HttpExchangeTracker } from './httpExchangeTracker';
import type { TcpConnection } from './tcpConnection';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

const HTTP_METHODS = ['GET ', 'POST ', 'PUT ', 'DELETE ', 'HEAD ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE '];
const H2_PREFACE = 'PRI * HTTP/2.0\r\n';

function startsWithAscii(b: Uint8Array, text: string): boolean {
  if (b.length < text.length) {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    if (b[i] !== text.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

export function createConnectionClassifier(
  parsers: AppParsers,
  dns: DnsExchangeTracker,
  options: TrackerOptions,
  emit: (event: NetworkEvent) => void,
  stats: TrackerStats
): ConnectionClassifier {
  return (conn, side, payload, timeUs) => {
    if (conn.serverPort === 53) {
      return new DnsOverTcpReader(conn, dns, stats);
    }
    if (side !== 'client') {
      return undefined;
    }
    if (startsWithAscii(payload, H2_PREFACE)) {
      return labelOnly('http2');
    }
    if (HTTP_METHODS.some((m) => startsWithAscii(payload, m))) {
      return new HttpExchangeTracker(conn, options, emit, stats);
    }
    // TLS handshake record, version 3.x.
    if (payload.length >= 6 && payload[0] === 0x16 && payload[1] === 0x03 && payload[5] === 0x01) {
      return tlsObserver(conn, payload, timeUs, parsers, options, emit, stats);
    }
    return undefined;
  };
}

function labelOnly(appProtocol: string): ConnectionObserver {
  return { appProtocol, onClose: () => undefined };
}

function tlsObserver(
  conn: TcpConnection,
  payload: Uint8Array,
  timeUs: number,
  parsers: AppParsers,
  options: TrackerOptions,
  emit: (event: NetworkEvent) => void,
  stats: TrackerStats
): ConnectionObserver {
  const hello = parsers.tlsClientHello?.(payload);
  if (parsers.tlsClientHello && !hello) {
    stats.parseErrors++;
  }
  if (hello) {
    emit({
      kind: 'tls',
      time: timeUs,
      transport: 'tcp',
      src: { ip: conn.clientIp, port: conn.clientPort },
      dst: { ip: conn.serverIp, port: conn.serverPort },
      source: options.source,
      ...(options.node ? { node: options.node } : {}),
      tls: { ...(hello.sni ? { sni: hello.sni } : {}), ...(hello.version ? { version: hello.version } : {}) },
    });
  }
  // ALPN h2 over TLS is how gRPC usually travels; label it so the flow says more than "tls".
  return labelOnly(hello?.alpn?.[0] === 'h2' ? 'tls/h2' : 'tls');
}
