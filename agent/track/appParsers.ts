// The application-payload parsers the trackers use (implemented in agent/decode/); absent ones leave that protocol unparsed.
import type { DnsMessageSummary } from './dnsExchangeTracker';
import type { HttpHeadParser } from './httpMessageTypes';

export interface TlsHelloSummary {
  sni?: string;
  // Highest version offered, e.g. "TLS 1.3".
  version?: string;
  // ALPN protocols offered (h2 marks HTTP/2, often gRPC).
  alpn?: string[];
}

export interface AppParsers {
  httpHead?: HttpHeadParser;
  // One DNS message (without the TCP length prefix).
  dns?: (message: Uint8Array) => DnsMessageSummary | undefined;
  tlsClientHello?: (record: Uint8Array) => TlsHelloSummary | undefined;
}
