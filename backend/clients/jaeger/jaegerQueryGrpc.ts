// Jaeger's query service over gRPC (FindTraces, GetTrace, GetServices): requests from plain objects, streamed
// OTLP chunks back as plain objects, failures as downstream QueryErrors that name Jaeger but never a secret.
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { QueryError } from '../../datasource/types';
import type { UpstreamCredentials } from '../http';
import type { ConcurrencyLimiter } from '../limiter';
import {
  FIND_TRACES_REQUEST,
  GET_SERVICES_REQUEST,
  GET_SERVICES_RESPONSE,
  GET_TRACE_REQUEST,
  OTLP_OBJECT_OPTIONS,
  TRACES_DATA,
} from './jaegerSchema';

const SERVICE = '/jaeger.api_v3.QueryService';
// Same bound as an HTTP body: a runaway answer cannot exhaust memory.
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;

export interface JaegerGrpcOptions {
  // Shown in errors, e.g. "Jaeger gRPC".
  name: string;
  // http://host:port (plaintext) or https://host:port (TLS).
  url: string;
  credentials?: UpstreamCredentials;
  timeoutMs: number;
  limiter?: ConcurrencyLimiter;
}

export interface FindTracesParameters {
  serviceName?: string;
  operationName?: string;
  // Matched against span and resource attributes; one span must match them all.
  attributes?: Record<string, string>;
  startTimeMinMs: number;
  startTimeMaxMs: number;
  searchDepth: number;
}

// One channel per endpoint, shared by every query of every datasource that points there.
const channels = new Map<string, grpc.Client>();

export class JaegerQueryGrpc {
  readonly name: string;
  readonly url: string;
  private readonly target: string;
  private readonly tls: boolean;

  constructor(private readonly options: JaegerGrpcOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new QueryError(400, `${options.name} URL is not a valid URL: ${JSON.stringify(options.url)}`, 'plugin');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new QueryError(400, `${options.name} URL must be http or https, got ${parsed.protocol}`, 'plugin');
    }
    this.name = options.name;
    this.url = options.url.replace(/\/+$/, '');
    this.tls = parsed.protocol === 'https:';
    // URL keeps an IPv6 host in brackets, as gRPC targets want it.
    this.target = `${parsed.hostname}:${parsed.port || (this.tls ? 443 : 80)}`;
  }

  // TracesData chunks as OTLP-JSON-shaped objects; none when Jaeger finds no trace (its NOT_FOUND).
  findTraces(query: FindTracesParameters, signal?: AbortSignal): Promise<unknown[]> {
    const request = {
      query: {
        serviceName: query.serviceName,
        operationName: query.operationName,
        attributes: query.attributes,
        startTimeMin: timestamp(query.startTimeMinMs),
        startTimeMax: timestamp(query.startTimeMaxMs),
        searchDepth: Math.max(1, Math.floor(query.searchDepth)),
      },
    };
    return this.stream('FindTraces', FIND_TRACES_REQUEST, request, signal);
  }

  getTrace(traceId: string, range?: { fromMs: number; toMs: number }, signal?: AbortSignal): Promise<unknown[]> {
    const request = {
      traceId,
      startTime: range ? timestamp(range.fromMs) : undefined,
      endTime: range ? timestamp(range.toMs) : undefined,
    };
    return this.stream('GetTrace', GET_TRACE_REQUEST, request, signal);
  }

  services(signal?: AbortSignal): Promise<string[]> {
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        if (signal?.aborted) {
          return reject(this.cancelled());
        }
        const call = this.client().makeUnaryRequest(
          `${SERVICE}/GetServices`,
          (value: object) => encode(GET_SERVICES_REQUEST, value),
          (bytes: Buffer) => GET_SERVICES_RESPONSE.toObject(GET_SERVICES_RESPONSE.decode(bytes), { arrays: true }),
          {},
          this.metadata(),
          { deadline: this.deadline() },
          (err, answer) => {
            signal?.removeEventListener('abort', cancel);
            if (err) {
              reject(this.callError(err, 'GetServices', signal));
            } else {
              resolve(((answer as { services?: string[] } | undefined)?.services ?? []).slice().sort());
            }
          }
        );
        const cancel = () => call.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
      });
    return this.options.limiter ? this.options.limiter.run(run, signal) : run();
  }

  private stream(method: string, type: protobuf.Type, request: object, signal?: AbortSignal): Promise<unknown[]> {
    const run = () =>
      new Promise<unknown[]>((resolve, reject) => {
        if (signal?.aborted) {
          return reject(this.cancelled());
        }
        const chunks: unknown[] = [];
        let bytes = 0;
        let tooBig = false;
        const call = this.client().makeServerStreamRequest(
          `${SERVICE}/${method}`,
          (value: object) => encode(type, value),
          (buffer: Buffer) => {
            bytes += buffer.byteLength;
            return TRACES_DATA.toObject(TRACES_DATA.decode(buffer), OTLP_OBJECT_OPTIONS);
          },
          request,
          this.metadata(),
          { deadline: this.deadline() }
        );
        const cancel = () => call.cancel();
        signal?.addEventListener('abort', cancel, { once: true });
        call.on('data', (chunk: unknown) => {
          chunks.push(chunk);
          if (bytes > MAX_ANSWER_BYTES && !tooBig) {
            tooBig = true;
            call.cancel();
          }
        });
        call.on('error', (err: grpc.ServiceError) => {
          signal?.removeEventListener('abort', cancel);
          if (tooBig) {
            reject(
              new QueryError(502, `${this.name} ${method} answer exceeds ${MAX_ANSWER_BYTES} bytes`, 'downstream')
            );
          } else if (err.code === grpc.status.NOT_FOUND) {
            // Jaeger's way of saying "no traces found": an empty answer, not an outage.
            resolve(chunks);
          } else {
            reject(this.callError(err, method, signal));
          }
        });
        call.on('end', () => {
          signal?.removeEventListener('abort', cancel);
          resolve(chunks);
        });
      });
    return this.options.limiter ? this.options.limiter.run(run, signal) : run();
  }

  private client(): grpc.Client {
    const key = `${this.tls ? 'tls' : 'plain'}://${this.target}`;
    let client = channels.get(key);
    if (!client) {
      client = new grpc.Client(
        this.target,
        this.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(),
        {
          'grpc.max_receive_message_length': MAX_ANSWER_BYTES,
          // A restarted Jaeger is used again within seconds, not after gRPC's default two-minute backoff.
          'grpc.initial_reconnect_backoff_ms': 500,
          'grpc.max_reconnect_backoff_ms': 5_000,
        }
      );
      channels.set(key, client);
    }
    return client;
  }

  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    const credentials = this.options.credentials;
    if (credentials?.kind === 'basic') {
      const pair = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
      metadata.set('authorization', `Basic ${pair}`);
    } else if (credentials?.kind === 'bearer') {
      metadata.set('authorization', `Bearer ${credentials.token}`);
    }
    return metadata;
  }

  private deadline(): Date {
    return new Date(Date.now() + this.options.timeoutMs);
  }

  private callError(err: grpc.ServiceError, method: string, signal?: AbortSignal): QueryError {
    const detail = this.redact(err.details || err.message);
    switch (err.code) {
      case grpc.status.CANCELLED:
        return signal?.aborted
          ? this.cancelled()
          : new QueryError(502, `${this.name} cancelled ${method}: ${detail}`, 'downstream');
      case grpc.status.DEADLINE_EXCEEDED:
        return new QueryError(
          504,
          `${this.name} did not answer within ${this.options.timeoutMs} ms (${this.url})`,
          'downstream'
        );
      case grpc.status.UNAVAILABLE:
        return new QueryError(502, `${this.name} unreachable at ${this.url}: ${detail}`, 'downstream');
      case grpc.status.UNAUTHENTICATED:
        return new QueryError(401, `${this.name} rejected the credentials for ${method}: ${detail}`, 'downstream');
      case grpc.status.PERMISSION_DENIED:
        return new QueryError(403, `${this.name} rejected the credentials for ${method}: ${detail}`, 'downstream');
      case grpc.status.INVALID_ARGUMENT:
        return new QueryError(400, `${this.name} refused ${method}: ${detail}`, 'downstream');
      default:
        return new QueryError(
          502,
          `${this.name} answered ${grpc.status[err.code] ?? err.code} for ${method}: ${detail}`,
          'downstream'
        );
    }
  }

  private cancelled(): QueryError {
    return new QueryError(499, `request to ${this.name} cancelled`, 'downstream');
  }

  private redact(text: string): string {
    const credentials = this.options.credentials;
    const secrets: string[] = [];
    if (credentials?.kind === 'basic' && credentials.password) {
      secrets.push(credentials.password, Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64'));
    } else if (credentials?.kind === 'bearer' && credentials.token) {
      secrets.push(credentials.token);
    }
    return secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  }
}

function encode(type: protobuf.Type, value: object): Buffer {
  const bytes = type.encode(type.fromObject(value)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}
