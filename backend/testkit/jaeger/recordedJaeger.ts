// The recorded answers of a real Jaeger (see recordJaeger.ts) and the fixed window they were recorded in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECORDED_VERSION = '1.75.0';
// The checkout's start (Unix ns) and the search window around it the recordings used.
export const CHECKOUT_START_NS = 1795260793331694328n;
const START_MS = Number(CHECKOUT_START_NS / 1_000_000n);
export const RECORDED_WINDOW = { fromMs: START_MS - 60_000, toMs: START_MS + 60_000 };

export interface HttpExchange {
  name: string;
  path: string;
  query: Record<string, string>;
  status: number;
  body: string;
}

export interface GrpcExchange {
  name: string;
  method: string;
  request: object;
  // gRPC status code (0 OK, 5 NOT_FOUND, …) and its details.
  code: number;
  details: string;
  // Each streamed message, protobuf bytes in base64.
  chunks: string[];
}

const TESTDATA = join(__dirname, '..', '..', 'queries', 'testdata');

export function recordedHttp(name: string): HttpExchange {
  return exchange<HttpExchange>('http', name);
}

export function recordedGrpc(name: string): GrpcExchange {
  return exchange<GrpcExchange>('grpc', name);
}

function exchange<T extends { name: string }>(kind: 'http' | 'grpc', name: string): T {
  const file = join(TESTDATA, `jaeger-${RECORDED_VERSION}-${kind}-recorded.json`);
  const found = (JSON.parse(readFileSync(file, 'utf8')) as { exchanges: T[] }).exchanges.find((e) => e.name === name);
  if (!found) {
    throw new Error(`no recorded Jaeger ${kind} exchange named ${name} in ${file}`);
  }
  return found;
}
