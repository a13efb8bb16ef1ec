// Pairs HTTP/1 requests with responses on one connection (keep-alive and pipelining: responses come in request order).
import type { HttpDetails, NetworkEvent } from '../../model/events';
import type { ConnectionObserver } from './connectionObserver';
import type { HttpHead, HttpHeadParser } from './httpMessageTypes';
import { HttpStreamReader } from './httpStreamReader';
import type { TcpConnection } from './tcpConnection';
import { extractTraceContext } from './traceContext';
import type { HttpCaptureOptions, TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

const REDACTED = '[redacted]';

interface PendingRequest {
  timeUs: number;
  details: HttpDetails;
  traceId?: string;
  spanId?: string;
  body: BodyCollector;
  // Request fully read (its body seen to the end).
  complete: boolean;
}

interface InFlightResponse {
  request: PendingRequest;
  timeUs: number;
  body: BodyCollector;
}

// Keeps at most maxBytes of a body, only when bodies are enabled.
class BodyCollector {
  private parts: Uint8Array[] = [];
  private kept = 0;

  constructor(private readonly maxBytes: number) {}

  add(chunk: Uint8Array): void {
    const room = this.maxBytes - this.kept;
    if (room > 0 && chunk.length > 0) {
      const part = chunk.slice(0, room);
      this.parts.push(part);
      this.kept += part.length;
    }
  }

  text(): string | undefined {
    return this.kept > 0 ? Buffer.concat(this.parts).toString('utf8') : undefined;
  }
}

export function redactHeaders(headers: Record<string, string>, redact: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    out[name] = redact.includes(name) ? REDACTED : headers[name];
  }
  return out;
}

export class HttpExchangeTracker implements ConnectionObserver {
  appProtocol = 'http';
  readonly fromClient: HttpStreamReader;
  readonly fromServer: HttpStreamReader;
  private readonly pending: PendingRequest[] = [];
  private response: InFlightResponse | undefined;
  private readonly http: HttpCaptureOptions;
  private closed = false;

  constructor(
    private readonly conn: TcpConnection,
    parse: HttpHeadParser,
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats
  ) {
    this.http = options.http;
    this.fromClient = new HttpStreamReader(parse, {
      onHead: (head, t) => this.onRequest(head, t),
      onBody: (chunk) => this.lastRequest()?.body.add(chunk),
      onMessageEnd: () => {
        const last = this.lastRequest();
        if (last) {
          last.complete = true;
        }
      },
      onStop: (reason) => this.onStop(reason),
    });
    this.fromServer = new HttpStreamReader(parse, {
      onHead: (head, t) => this.onResponseHead(head, t),
      onBody: (chunk) => this.response?.body.add(chunk),
      onMessageEnd: (t) => this.onResponseEnd(t),
      onStop: (reason) => this.onStop(reason),
    });
  }

  onClose(endUs: number): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.fromServer.end(endUs);
    if (this.response) {
      this.onResponseEnd(endUs);
    }
    // Requests that never got an answer are reported without a status.
    for (const request of this.pending.splice(0)) {
      this.report(request, undefined, undefined);
    }
  }

  private lastRequest(): PendingRequest | undefined {
    return this.pending[this.pending.length - 1];
  }

  private onRequest(head: HttpHead, timeUs: number): string | undefined {
    if (head.kind !== 'request' || !head.method) {
      this.stats.parseErrors++;
      return undefined;
    }
    const target = head.target ?? '';
    // Query strings often carry tokens: keep only the path.
    const path = target.split('?')[0];
    const trace = extractTraceContext(head.headers);
    const details: HttpDetails = {
      method: head.method,
      path,
      ...(head.headers.host ? { host: head.headers.host } : {}),
      requestHeaders: redactHeaders(head.headers, this.http.redactHeaders),
      protocol: head.version,
    };
    if (this.pending.length >= this.http.maxPendingRequests) {
      this.stats.httpPendingEvicted++;
      const oldest = this.pending.shift();
      if (oldest) {
        this.report(oldest, undefined, undefined);
      }
    }
    this.pending.push({
      timeUs,
      details,
      traceId: trace?.traceId,
      spanId: trace?.spanId,
      body: new BodyCollector(this.http.captureBodies ? this.http.maxBodyBytes : 0),
      complete: false,
    });
    if (head.headers.upgrade?.toLowerCase() === 'h2c') {
      this.appProtocol = 'http2';
    }
    return head.method;
  }

  // Returns the method of the request this response answers, which decides its framing (HEAD has no body).
  private onResponseHead(head: HttpHead, timeUs: number): string | undefined {
    if (head.kind !== 'response' || head.status === undefined) {
      this.stats.parseErrors++;
      return undefined;
    }
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      return this.pending[0]?.details.method;
    }
    const request = this.pending.shift();
    if (!request) {
      return undefined;
    }
    request.details.status = head.status;
    request.details.latencyUs = Math.max(0, timeUs - request.timeUs);
    request.details.responseHeaders = redactHeaders(head.headers, this.http.redactHeaders);
    if (head.status === 101) {
      this.appProtocol =
        head.headers.upgrade?.toLowerCase() === 'h2c' ? 'http2' : (head.headers.upgrade?.toLowerCase() ?? 'upgraded');
    }
    this.response = { request, timeUs, body: new BodyCollector(this.http.captureBodies ? this.http.maxBodyBytes : 0) };
    return request.details.method;
  }

  private onResponseEnd(timeUs: number): void {
    const r = this.response;
    if (!r) {
      return;
    }
    this.response = undefined;
    this.report(r.request, r.body, timeUs);
  }

  private onStop(reason: 'upgrade' | 'invalid' | 'gap'): void {
    if (reason !== 'upgrade') {
      this.stats.parseErrors++;
    }
    if (this.response) {
      this.onResponseEnd(this.response.timeUs);
    }
  }

  private report(request: PendingRequest, responseBody: BodyCollector | undefined, endUs: number | undefined): void {
    const details = request.details;
    if (this.http.captureBodies) {
      const requestBody = request.body.text();
      const body = responseBody?.text();
      if (requestBody !== undefined) {
        details.requestBody = requestBody;
      }
      if (body !== undefined) {
        details.responseBody = body;
      }
    }
    const c = this.conn;
    this.emit({
      kind: 'http',
      time: request.timeUs,
      ...(endUs !== undefined ? { endTime: endUs } : {}),
      transport: 'tcp',
      src: { ip: c.clientIp, port: c.clientPort },
      dst: { ip: c.serverIp, port: c.serverPort },
      source: this.options.source,
      ...(this.options.node ? { node: this.options.node } : {}),
      ...(request.traceId ? { traceId: request.traceId } : {}),
      ...(request.spanId ? { spanId: request.spanId } : {}),
      http: details,
    });
  }
}
