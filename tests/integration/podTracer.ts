// Spans of one pod, recorded with the real OpenTelemetry SDK and exported over OTLP/HTTP (protobuf) to Tempo.
// Span times are those of the real network attempts the test made, not invented ones.
import { type HrTime, type Span, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type IdGenerator,
  NodeTracerProvider,
  RandomIdGenerator,
} from '@opentelemetry/sdk-trace-node';
// The real call a span stands for: when it started and ended, and how it failed.
export interface CallTiming {
  startMs: number;
  endMs: number;
  status?: number;
  error?: string;
  errorCode?: string;
}

export interface PodIdentity {
  service: string;
  namespace: string;
  pod: string;
  ip: string;
}

export interface ClientCall {
  name: string;
  // The name the application dialled (a cluster DNS name) and the port.
  serverAddress: string;
  serverPort: number;
  // The IP it resolved to.
  peerIp: string;
  urlFull: string;
  attempt: CallTiming;
}

export interface RecordedSpan {
  traceId: string;
  spanId: string;
  name: string;
  startMs: number;
  endMs: number;
}

// Wall-clock milliseconds (fractional) as OpenTelemetry's [seconds, nanoseconds].
export function toHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

// Lets the test know a span's id before the span starts, so the real request can carry it in `traceparent`.
class ReservableIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private readonly reserved: string[] = [];

  reserveSpanId(): string {
    const id = this.random.generateSpanId();
    this.reserved.push(id);
    return id;
  }

  generateTraceId(): string {
    return this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.reserved.shift() ?? this.random.generateSpanId();
  }
}

export class PodTracer {
  private readonly provider: NodeTracerProvider;
  private readonly ids = new ReservableIdGenerator();

  readonly pod: PodIdentity;

  constructor(pod: PodIdentity, otlpHttpUrl: string) {
    this.pod = pod;
    this.provider = new NodeTracerProvider({
      resource: resourceFromAttributes({
        'service.name': pod.service,
        'service.namespace': pod.namespace,
        'k8s.namespace.name': pod.namespace,
        'k8s.pod.name': pod.pod,
        'k8s.pod.ip': pod.ip,
      }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces` }))],
      idGenerator: this.ids,
    });
  }

  /** The W3C traceparent the next client span of `parent` will have; that span must be recorded next. */
  nextTraceparent(parent: Span): string {
    return `00-${parent.spanContext().traceId}-${this.ids.reserveSpanId()}-01`;
  }

  /** A SERVER span for an incoming request, spanning the calls made while handling it. */
  startRequest(name: string, route: string, startMs: number): Span {
    return this.provider.getTracer('wiretrace-integration').startSpan(name, {
      kind: SpanKind.SERVER,
      startTime: toHrTime(startMs),
      attributes: { 'http.request.method': 'POST', 'http.route': route, 'server.port': 8080 },
    });
  }

  /** A CLIENT span for one outgoing connection attempt, child of `parent`, with the attempt's real times. */
  recordClientCall(parent: Span, call: ClientCall): RecordedSpan {
    const parentContext = trace.setSpan(context.active(), parent);
    const span = this.provider.getTracer('wiretrace-integration').startSpan(
      call.name,
      {
        kind: SpanKind.CLIENT,
        startTime: toHrTime(call.attempt.startMs),
        attributes: {
          'http.request.method': 'POST',
          'server.address': call.serverAddress,
          'server.port': call.serverPort,
          'network.peer.address': call.peerIp,
          'network.peer.port': call.serverPort,
          'url.full': call.urlFull,
        },
      },
      parentContext
    );
    if (call.attempt.error) {
      span.setAttribute('error.type', call.attempt.errorCode ?? 'Error');
      span.recordException({ name: call.attempt.errorCode ?? 'Error', message: call.attempt.error });
      span.setStatus({ code: SpanStatusCode.ERROR, message: call.attempt.error });
    } else {
      span.setAttribute('http.response.status_code', 200);
    }
    span.end(toHrTime(call.attempt.endMs));
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId, name: call.name, startMs: call.attempt.startMs, endMs: call.attempt.endMs };
  }

  /** Ends a request span after its calls; a failed call fails the request too. */
  endRequest(span: Span, endMs: number, error?: string): void {
    if (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    }
    span.end(toHrTime(endMs));
  }

  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
