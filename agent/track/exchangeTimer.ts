// Builds each exchange's time decomposition on one connection: the first exchange of a connection whose opening
// was seen gets dns, connect and tls phases; later ones ran on a reused connection (zero connect, flagged reused).
import type { ExchangePhase, ExchangeTiming } from '../../model/events';
import type { DnsLookupIndex } from './dnsLookupIndex';
import type { TcpConnection } from './tcpConnection';

// The times of one exchange the application tracker saw; response times are absent when no response came.
export interface ExchangeMarks {
  requestStartUs: number;
  requestEndUs: number;
  responseStartUs?: number;
  responseEndUs?: number;
}

export class ExchangeTimer {
  private exchanges = 0;

  constructor(
    private readonly conn: TcpConnection,
    private readonly dnsLookups: DnsLookupIndex | undefined
  ) {}

  // tls: the handshake's ClientHello → first application data, when the connection is TLS.
  timing(marks: ExchangeMarks, tls?: { startUs: number; endUs: number }): ExchangeTiming {
    const first = this.exchanges++ === 0;
    const c = this.conn;
    const phases: ExchangePhase[] = [];
    const fresh = first && c.sawHandshakeStart && c.synAckUs !== undefined && c.synAttempts > 0;
    let dnsQuery: string | undefined;
    if (fresh) {
      const lookup = this.dnsLookups?.lookupBefore(c.clientIp, c.serverIp, c.firstSynUs);
      if (lookup) {
        dnsQuery = lookup.query;
        phases.push({ phase: 'dns', startUs: lookup.startUs, endUs: lookup.endUs });
      }
      phases.push({ phase: 'connect', startUs: c.firstSynUs, endUs: c.synAckUs! });
      if (tls) {
        phases.push({ phase: 'tls', startUs: tls.startUs, endUs: tls.endUs });
      }
    } else {
      phases.push({ phase: 'connect', startUs: marks.requestStartUs, endUs: marks.requestStartUs });
    }
    phases.push({ phase: 'request', startUs: marks.requestStartUs, endUs: marks.requestEndUs });
    if (marks.responseStartUs !== undefined) {
      phases.push({ phase: 'ttfb', startUs: marks.requestEndUs, endUs: marks.responseStartUs });
      phases.push({
        phase: 'transfer',
        startUs: marks.responseStartUs,
        endUs: marks.responseEndUs ?? marks.responseStartUs,
      });
    }
    return { reused: !fresh, phases, ...(dnsQuery ? { dnsQuery } : {}) };
  }
}
