// Decides from a connection's first payload which application tracker follows it.
import type { NetworkEvent } from '../../model/events';
import { recognizeAppProtocol } from '../decode/appProtocol';
import { looksLikeServerPreface, startsClientPreface } from '../decode/http2/http2FrameReader';
import type { ConnectionClassifier } from './connectionObserver';
import type { DnsExchangeTracker } from './dnsExchangeTracker';
import type { DnsLookupIndex } from './dnsLookupIndex';
import { DnsOverTcpReader } from './dnsOverTcpReader';
import { Http2ExchangeTracker } from './http2ExchangeTracker';
import { HttpExchangeTracker } from './httpExchangeTracker';
import { TlsHandshakeObserver } from './tlsHandshakeObserver';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

const DNS_PORT = 53;
const HTTP_METHOD_START = /^[A-Z]{3,7} \//;

export function createConnectionClassifier(
  dns: DnsExchangeTracker,
  options: TrackerOptions,
  emit: (event: NetworkEvent) => void,
  stats: TrackerStats,
  // The clients' DNS answers, so an exchange's first phase can be the lookup that gave its server address.
  dnsLookups?: DnsLookupIndex
): ConnectionClassifier {
  return (conn, side, payload) => {
    if (conn.serverPort === DNS_PORT) {
      return new DnsOverTcpReader(conn, dns, stats);
    }
    if (side !== 'client') {
      // An HTTP/2 server may send its SETTINGS before the client's preface arrives.
      return looksLikeServerPreface(payload) ? new Http2ExchangeTracker(conn, options, emit, stats) : undefined;
    }
    const guess = recognizeAppProtocol(payload);
    switch (guess) {
      case 'http':
        return new HttpExchangeTracker(conn, options, emit, stats, dnsLookups);
      case 'http2':
      case 'grpc':
        return new Http2ExchangeTracker(conn, options, emit, stats, guess);
      case 'tls':
        return new TlsHandshakeObserver(conn, options, emit, stats, dnsLookups);
      case 'need-more':
        if (startsClientPreface(payload)) {
          return new Http2ExchangeTracker(conn, options, emit, stats);
        }
        // The first segment ended inside the request line: a method and a path are enough to follow it as HTTP.
        return HTTP_METHOD_START.test(Buffer.from(payload.subarray(0, 16)).toString('latin1'))
          ? new HttpExchangeTracker(conn, options, emit, stats, dnsLookups)
          : undefined;
      default:
        return undefined;
    }
  };
}
