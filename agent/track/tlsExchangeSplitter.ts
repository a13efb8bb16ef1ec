// Pairs encrypted requests with responses on an HTTP/1 connection inside TLS: a run of the client's application
// data records is a request, the server's records that follow are its response, until the client writes again.
import type { TlsRecord } from '../decode/tls/recordStream';
import type { ExchangeMarks } from './exchangeTimer';

// A TLS 1.3 server's session tickets (OpenSSL sends two) travel as application data in one write after the
// client's Finished: a first server burst of several same-sized small records is taken for tickets, not a response.
const MAX_TICKET_RECORD = 1024;

export class TlsExchangeSplitter {
  private current: ExchangeMarks | undefined;
  private burst: TlsRecord[] | undefined;
  private judgedTickets: boolean;

  constructor(
    private readonly onExchange: (marks: ExchangeMarks) => void,
    tls13: boolean
  ) {
    // Only TLS 1.3 sends tickets as application data; before 1.3 they are handshake records.
    this.judgedTickets = !tls13;
  }

  clientData(record: TlsRecord): void {
    this.judgeBurst();
    const c = this.current;
    if (c && c.responseStartUs !== undefined) {
      this.finish();
    }
    if (this.current) {
      this.current.requestEndUs = record.endUs;
    } else {
      this.current = { requestStartUs: record.startUs, requestEndUs: record.endUs };
    }
  }

  serverData(record: TlsRecord): void {
    if (!this.judgedTickets) {
      if (!this.burst || this.burst[0].startUs === record.startUs) {
        (this.burst ??= []).push(record);
        return;
      }
      this.judgeBurst();
    }
    const c = this.current;
    if (!c) {
      return;
    }
    c.responseStartUs ??= record.startUs;
    c.responseEndUs = record.endUs;
  }

  // The connection ended: the exchange in progress is complete (or unanswered).
  end(): void {
    this.judgeBurst();
    this.finish();
  }

  private judgeBurst(): void {
    const burst = this.burst;
    if (this.judgedTickets || !burst) {
      return;
    }
    this.judgedTickets = true;
    this.burst = undefined;
    const tickets =
      burst.length >= 2 && burst.every((r) => r.length === burst[0].length && r.length <= MAX_TICKET_RECORD);
    if (!tickets) {
      burst.forEach((r) => this.serverData(r));
    }
  }

  private finish(): void {
    const c = this.current;
    this.current = undefined;
    if (c) {
      this.onExchange(c);
    }
  }
}
