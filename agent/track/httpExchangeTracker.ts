// Pairs HTTP/1 requests with responses on one connection (keep-alive and pipelining: responses come in request order).
// Each direction is parsed by agent/decode/http1; this class only pairs, times and reports.
import type { HttpDetails, NetworkEvent } from '../../model/events';
import { normalizeSpanId, normalizeTraceId } from '../../model/traceId';
import { HeaderRedactor } from '../decode/http1/headerRedaction';
import type { Http1Message } from '../decode/http1/http1Message';
import { Http1StreamParser } from '../decode/http1/http1StreamParser';
import { parseB3Single, parseTraceparent, parseUberTraceId, type TraceContext } from '../decode/http1/traceContext';
import type { ConnectionObserver } from './connectionObserver';
import type { DnsLookupIndex } from './dnsLookupIndex';
import { ExchangeTimer } from './exchangeTimer';
import type { StreamConsumer } from './streamReassembler';
import type { TcpConnection } from './tcpConnection';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

interface PendingRequest {
  timeUs: number;
  // When the request's last byte was seen (its head's, until the body completes).
  endUs: number;
  details: HttpDetails;
  traceId?: string;
  spanId?: string;
}

export class HttpExchangeTracker implements ConnectionObserver {
  appProtocol = 'http';
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;
  private readonly requests: Http1StreamParser;
  private readonly responses: Http1StreamParser;
  private readonly pending: PendingRequest[] = [];
  // The request whose head is parsed and whose body is still arriving (an early response may already answer it).
  private receiving: { message: Http1Message; request: PendingRequest } | undefined;
  private readonly redactor: HeaderRedactor;
  private lastUs = 0;
  private closed = false;
  // Responses were lost with uncaptured bytes: the next one seen may not answer the oldest pending request.
  private responsesLost = false;
  private readonly timer: ExchangeTimer;

  constructor(
    private readonly conn: TcpConnection,
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats,
    dnsLookups?: DnsLookupIndex
  ) {
    this.timer = new ExchangeTimer(conn, dnsLookups);
    const http = options.http;
    const maxBodyBytes = http.captureBodies ? http.maxBodyBytes : 0;
    this.redactor = new HeaderRedactor(http.redactHeaders);
    this.requests = new Http1StreamParser({
      role: 'request',
      maxBodyBytes,
      onHead: (m) => this.onRequestHead(m),
      onMessage: (m) => this.onRequest(m),
      onResync: () => this.stats.httpResyncs++,
    });
    this.responses = new Http1StreamParser({
      role: 'response',
      maxBodyBytes,
      onMessage: (m) => this.onResponse(m),
      onResync: () => {
        this.stats.httpResyncs++;
        this.responsesLost = true;
      },
    });
    this.fromClient = this.consumer(this.requests);
    this.fromServer = this.consumer(this.responses);
  }

  onClose(endUs: number): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.requests.end(endUs);
    this.responses.end(endUs);
    for (const parser of [this.requests, this.responses]) {
      if (parser.notHttp) {
        this.stats.parseErrors++;
      }
    }
    // Requests that never got an answer are reported without a status.
    for (const request of this.pending.splice(0)) {
      this.report(request, undefined, undefined);
    }
  }

  private consumer(parser: Http1StreamParser): StreamConsumer {
    return {
      onData: (data, timeUs) => {
        this.lastUs = timeUs;
        parser.push(data, timeUs);
      },
      onGap: (bytes) => parser.gap(bytes, this.lastUs),
    };
  }

  // A request is pending from its head on: the response may come before its body ends (401, 413, 417 on uploads).
  private onRequestHead(m: Http1Message): void {
    const head = m.head;
    if (head.kind !== 'request') {
      return;
    }
    this.responses.expectResponseTo(head.method);
    // Query strings often carry tokens: keep only the path.
    const q = head.target.indexOf('?');
    const path = q < 0 ? head.target : head.target.slice(0, q);
    // One pass over the header list: trace context and Host are read from it, then credentials are blanked.
    const headers = head.headers.toRecord();
    const trace = traceContextOf(headers);
    const host = headers.host;
    if (headers.upgrade?.toLowerCase() === 'h2c') {
      this.appProtocol = 'http2';
    }
    const details: HttpDetails = {
      method: head.method,
      path,
      requestHeaders: this.redactor.redactRecord(headers),
      protocol: head.version,
    };
    if (host) {
      details.host = host;
    }
    if (this.pending.length >= this.options.http.maxPendingRequests) {
      this.stats.httpPendingEvicted++;
      this.report(this.pending.shift()!, undefined, undefined);
    }
    const request = { timeUs: m.firstByteUs, endUs: m.lastByteUs, details, traceId: trace?.traceId, spanId: trace?.spanId };
    this.pending.push(request);
    this.receiving = { message: m, request };
  }

  // The whole request arrived: its body joins the pending request, unless an early response already reported it.
  private onRequest(m: Http1Message): void {
    const receiving = this.receiving;
    this.receiving = undefined;
    if (receiving?.message === m) {
      receiving.request.endUs = m.lastByteUs;
    }
    if (!receiving || receiving.message !== m || !m.body || !this.pending.includes(receiving.request)) {
      return;
    }
    receiving.request.details.requestBody = Buffer.from(m.body).toString('utf8');
  }

  private onResponse(m: Http1Message): void {
    const head = m.head;
    if (head.kind !== 'response') {
      return;
    }
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      return;
    }
    if (this.responsesLost) {
      this.responsesLost = false;
      // The answers of the older requests were in the lost bytes: this response answers the newest request sent
      // before it (exact for clients that wait for each answer; pipelining loses its order here anyway).
      while (this.pending.length > 1 && this.pending[1].timeUs < m.firstByteUs) {
        this.report(this.pending.shift()!, undefined, undefined);
      }
    }
    // A response that began before the oldest pending request was sent answers a request the capture lost.
    if (this.pending.length === 0 || this.pending[0].timeUs > m.firstByteUs) {
      return;
    }
    const request = this.pending.shift()!;
    const d = request.details;
    d.status = head.status;
    d.latencyUs = Math.max(0, m.firstByteUs - request.timeUs);
    d.responseHeaders = this.redactor.redactRecord(head.headers.toRecord());
    if (m.body) {
      d.responseBody = Buffer.from(m.body).toString('utf8');
    }
    if (head.status === 101) {
      const upgrade = head.headers.get('upgrade')?.toLowerCase();
      this.appProtocol = upgrade === 'h2c' ? 'http2' : (upgrade ?? 'upgraded');
    }
    this.report(request, m.firstByteUs, m.lastByteUs);
  }

  // Built field by field: one event per exchange is the hot path of HTTP-heavy captures.
  private report(request: PendingRequest, responseUs: number | undefined, endUs: number | undefined): void {
    const c = this.conn;
    request.details.timing = this.timer.timing({
      requestStartUs: request.timeUs,
      requestEndUs: request.endUs,
      ...(responseUs !== undefined ? { responseStartUs: responseUs, responseEndUs: endUs } : {}),
    });
    const event: NetworkEvent = {
      kind: 'http',
      time: request.timeUs,
      transport: 'tcp',
      src: { ip: c.clientIp, port: c.clientPort },
      dst: { ip: c.serverIp, port: c.serverPort },
      source: this.options.source,
      http: request.details,
    };
    if (endUs !== undefined) {
      event.endTime = endUs;
    }
    if (this.options.node) {
      event.node = this.options.node;
    }
    if (c.underlay) {
      event.underlay = c.underlay;
    }
    if (request.traceId) {
      event.traceId = request.traceId;
    }
    if (request.spanId) {
      event.spanId = request.spanId;
    }
    this.emit(event);
  }
}

// The propagation formats in the order OpenTelemetry's default propagators read them (headers: lower-cased names).
function traceContextOf(headers: Record<string, string>): TraceContext | undefined {
  const w3c = headers.traceparent === undefined ? undefined : parseTraceparent(headers.traceparent);
  if (w3c) {
    return w3c;
  }
  const b3 = headers.b3 === undefined ? undefined : parseB3Single(headers.b3);
  if (b3) {
    return b3;
  }
  const b3TraceId = headers['x-b3-traceid'] === undefined ? undefined : normalizeTraceId(headers['x-b3-traceid']);
  if (b3TraceId) {
    return { traceId: b3TraceId, spanId: normalizeSpanId(headers['x-b3-spanid']), format: 'b3multi' };
  }
  return headers['uber-trace-id'] === undefined ? undefined : parseUberTraceId(headers['uber-trace-id']);
}
