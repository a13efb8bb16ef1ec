// Pairs HTTP/2 streams (h2c with prior knowledge, gRPC among them) into request/response exchanges: one `http` event
// per stream, with protocol "grpc" and the call's status for gRPC. Frames and HPACK are agent/decode/http2's.
import type { HttpDetails, NetworkEvent } from '../../model/events';
import { HeaderRedactor } from '../decode/http1/headerRedaction';
import { HttpHeaderList } from '../decode/http1/httpHeaders';
import { extractTraceContext } from '../decode/http1/traceContext';
import { applyGrpcTrailers, grpcCallOf, http2ErrorName, isGrpcContentType } from '../decode/http2/grpcCall';
import type { HeaderField } from '../decode/http2/hpackDecoder';
import { Http2Session, type Http2Side } from '../decode/http2/http2Session';
import type { ConnectionObserver } from './connectionObserver';
import type { StreamConsumer } from './streamReassembler';
import type { TcpConnection } from './tcpConnection';
import type { TrackerOptions } from './trackerOptions';
import type { TrackerStats } from './trackerStats';

// Streams in flight kept per connection; the oldest is reported without a response beyond it.
export const MAX_OPEN_STREAMS = 256;

interface OpenStream {
  timeUs: number;
  details: HttpDetails;
  traceId?: string;
  spanId?: string;
  responded: boolean;
  endUs?: number;
}

export class Http2ExchangeTracker implements ConnectionObserver {
  appProtocol: string;
  readonly fromClient: StreamConsumer;
  readonly fromServer: StreamConsumer;
  private readonly session: Http2Session;
  private readonly streams = new Map<number, OpenStream>();
  private readonly redactor: HeaderRedactor;
  private closed = false;

  constructor(
    private readonly conn: TcpConnection,
    private readonly options: TrackerOptions,
    private readonly emit: (event: NetworkEvent) => void,
    private readonly stats: TrackerStats,
    // What the first bytes suggested (http2 or grpc); the streams decide.
    appProtocol: 'http2' | 'grpc' = 'http2'
  ) {
    this.appProtocol = appProtocol;
    this.redactor = new HeaderRedactor(options.http.redactHeaders);
    this.session = new Http2Session({
      onHeaders: (side, id, headers, endStream, timeUs) =>
        side === 'client'
          ? this.onRequestHeaders(id, headers, timeUs)
          : this.onResponseHeaders(id, headers, endStream, timeUs),
      onData: (side, id, _bytes, endStream, _timeUs, endUs) => {
        if (side === 'server' && endStream) {
          this.finish(id, endUs);
        }
      },
      onReset: (_side, id, code, timeUs) => this.onReset(id, http2ErrorName(code), timeUs),
      onGoAway: (side, lastStreamId, _code, timeUs) => this.onGoAway(side, lastStreamId, timeUs),
      onMalformed: () => this.stats.parseErrors++,
    });
    this.fromClient = this.consumer('client');
    this.fromServer = this.consumer('server');
  }

  onClose(endUs: number): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    // Streams still open never got (all of) their response.
    for (const id of [...this.streams.keys()]) {
      this.finish(id, undefined, endUs);
    }
  }

  private consumer(side: Http2Side): StreamConsumer {
    return {
      onData: (data, timeUs) => this.session.push(side, data, timeUs),
      onGap: () => this.session.gap(side),
    };
  }

  private onRequestHeaders(id: number, fields: HeaderField[], timeUs: number): void {
    if (this.streams.has(id) || id % 2 === 0) {
      // Request trailers, or a stream the client did not open: nothing to pair.
      return;
    }
    const { pseudo, headers } = splitHeaders(fields);
    const trace = extractTraceContext(headers);
    const rawPath = pseudo[':path'] ?? '';
    const q = rawPath.indexOf('?');
    // Query strings often carry tokens: keep only the path.
    const path = q < 0 ? rawPath : rawPath.slice(0, q);
    const record = headers.toRecord();
    const grpc = isGrpcContentType(record['content-type']);
    const details: HttpDetails = {
      method: pseudo[':method'] ?? '',
      path,
      requestHeaders: this.redactor.redactRecord(record),
      protocol: grpc ? 'grpc' : 'HTTP/2',
    };
    const host = pseudo[':authority'] ?? record.host;
    if (host) {
      details.host = host;
    }
    if (grpc) {
      details.grpc = grpcCallOf(path);
      this.appProtocol = 'grpc';
    }
    if (this.streams.size >= MAX_OPEN_STREAMS) {
      this.stats.httpPendingEvicted++;
      this.finish(this.streams.keys().next().value!, undefined, timeUs);
    }
    this.streams.set(id, { timeUs, details, traceId: trace?.traceId, spanId: trace?.spanId, responded: false });
  }

  private onResponseHeaders(id: number, fields: HeaderField[], endStream: boolean, timeUs: number): void {
    const stream = this.streams.get(id);
    if (!stream) {
      return;
    }
    const { pseudo, headers } = splitHeaders(fields);
    const record = headers.toRecord();
    const d = stream.details;
    if (!stream.responded) {
      const status = Number(pseudo[':status']);
      // Interim responses (100 Continue, 103 Early Hints) precede the real one.
      if (status >= 100 && status < 200) {
        return;
      }
      stream.responded = true;
      if (Number.isInteger(status) && status > 0) {
        d.status = status;
      }
      d.latencyUs = Math.max(0, timeUs - stream.timeUs);
      d.responseHeaders = this.redactor.redactRecord(record);
      if (!d.grpc && isGrpcContentType(record['content-type'])) {
        d.grpc = grpcCallOf(d.path);
        d.protocol = 'grpc';
        this.appProtocol = 'grpc';
      }
    } else {
      // Trailers join the response's headers.
      d.responseHeaders = { ...d.responseHeaders, ...this.redactor.redactRecord(record) };
    }
    if (d.grpc) {
      applyGrpcTrailers(d.grpc, record);
    }
    if (endStream) {
      this.finish(id, timeUs);
    }
  }

  private onReset(id: number, code: string, timeUs: number): void {
    const stream = this.streams.get(id);
    if (stream) {
      stream.details.streamError = code;
      this.finish(id, timeUs);
    }
  }

  // The server's GOAWAY names the last stream it processed: the client's later streams were never handled.
  private onGoAway(side: Http2Side, lastStreamId: number, timeUs: number): void {
    if (side !== 'server') {
      return;
    }
    for (const [id, stream] of [...this.streams]) {
      if (id > lastStreamId) {
        stream.details.streamError = 'GOAWAY';
        this.finish(id, timeUs);
      }
    }
  }

  private finish(id: number, endUs: number | undefined, closeUs?: number): void {
    const stream = this.streams.get(id);
    if (!stream) {
      return;
    }
    this.streams.delete(id);
    const c = this.conn;
    const event: NetworkEvent = {
      kind: 'http',
      time: stream.timeUs,
      transport: 'tcp',
      src: { ip: c.clientIp, port: c.clientPort },
      dst: { ip: c.serverIp, port: c.serverPort },
      source: this.options.source,
      http: stream.details,
    };
    const end = endUs ?? (stream.responded ? closeUs : undefined);
    if (end !== undefined) {
      event.endTime = Math.max(end, stream.timeUs);
    }
    if (this.options.node) {
      event.node = this.options.node;
    }
    if (c.underlay) {
      event.underlay = c.underlay;
    }
    if (stream.traceId) {
      event.traceId = stream.traceId;
    }
    if (stream.spanId) {
      event.spanId = stream.spanId;
    }
    this.emit(event);
  }
}

// Pseudo-headers (":method", ":path", …) apart; the rest as a header list (HTTP/2 names are already lower case).
function splitHeaders(fields: HeaderField[]): { pseudo: Record<string, string>; headers: HttpHeaderList } {
  const pseudo: Record<string, string> = {};
  const headers = new HttpHeaderList();
  for (const [name, value] of fields) {
    if (name.startsWith(':')) {
      pseudo[name] = value;
    } else {
      headers.add(name, value, name);
    }
  }
  return { pseudo, headers };
}
