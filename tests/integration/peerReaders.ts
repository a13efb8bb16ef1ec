// Reading back what the real peers stored: events from VictoriaLogs (LogsQL), exemplars from Prometheus, spans
// from Jaeger's query API. Each waits for the state it needs, never for a fixed time.
import type { NetworkEvent } from '../../model/events';
import { AGENT_EVENTS_SERVICE_NAME } from '../../model/eventStreams';

async function waitUntil<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${typeof what === 'string' ? what : what()} within ${timeoutMs / 1000}s${lastError ? ` (last error: ${lastError})` : ''}`
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every line of the agent's events stream stored in VictoriaLogs since `fromMs`, each a NetworkEvent as pushed. */
export async function victoriaLogsEvents(url: string, fromMs: number): Promise<NetworkEvent[]> {
  // The services' own application logs share the store; only the agent's durable events stream holds events.
  const query = `service_name:=${JSON.stringify(AGENT_EVENTS_SERVICE_NAME)}`;
  const params = new URLSearchParams({ query, start: new Date(fromMs - 60_000).toISOString() });
  const response = await fetch(`${url}/select/logsql/query?${params}`);
  if (!response.ok) {
    throw new Error(`VictoriaLogs /select/logsql/query answered ${response.status}: ${await response.text()}`);
  }
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(JSON.parse(line)._msg as string) as NetworkEvent);
}

/** Waits until VictoriaLogs holds every wanted event (compared whole), returning what it holds. */
export function waitForVictoriaLogs(
  url: string,
  fromMs: number,
  wanted: NetworkEvent[],
  timeoutMs = 120_000
): Promise<NetworkEvent[]> {
  const keys = wanted.map((e) => JSON.stringify(e));
  let missing = keys.length;
  return waitUntil(
    () => `VictoriaLogs did not receive all ${keys.length} events (still missing ${missing})`,
    async () => {
      const stored = await victoriaLogsEvents(url, fromMs);
      const have = new Set(stored.map((e) => JSON.stringify(e)));
      missing = keys.filter((k) => !have.has(k)).length;
      return missing === 0 ? stored : undefined;
    },
    timeoutMs
  );
}

export interface Exemplar {
  traceId: string;
  value: number;
}

/** Exemplars Prometheus stored for the agent's HTTP latency histogram; waits until `ready` accepts them. */
export function waitForExemplars(
  url: string,
  fromMs: number,
  ready: (exemplars: Exemplar[]) => boolean
): Promise<Exemplar[]> {
  return waitUntil('Prometheus holds no matching exemplars', async () => {
    const params = new URLSearchParams({
      query: 'wiretrace_http_request_duration_seconds_bucket',
      start: String(Math.floor(fromMs / 1000) - 60),
      end: String(Math.ceil(Date.now() / 1000) + 60),
    });
    const response = await fetch(`${url}/api/v1/query_exemplars?${params}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: Array<{ exemplars: Array<{ labels: Record<string, string>; value: string }> }>;
    };
    if (body.status !== 'success') {
      throw new Error(`query_exemplars: ${body.error}`);
    }
    const exemplars = (body.data ?? []).flatMap((series) =>
      series.exemplars.map((x) => ({ traceId: x.labels.trace_id, value: Number(x.value) }))
    );
    return ready(exemplars) ? exemplars : undefined;
  });
}

export interface StoredSpan {
  traceId: string;
  spanId: string;
  name: string;
  kind: string;
  statusCode: string;
  statusMessage?: string;
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

function attributeMap(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value])
  );
}

// OTLP JSON ids are hex here; grpc-gateway may render them base64.
function hexId(id: string, bytes: number): string {
  return /^[0-9a-f]+$/i.test(id) && id.length === bytes * 2
    ? id.toLowerCase()
    : Buffer.from(id, 'base64').toString('hex');
}

/** The spans of one trace from Jaeger's /api/v3/traces/{id} (OTLP JSON); waits until `spans` of them are there. */
export function waitForJaegerTrace(url: string, traceId: string, spans: number): Promise<StoredSpan[]> {
  return waitUntil(`Jaeger did not hold ${spans} spans of trace ${traceId}`, async () => {
    const response = await fetch(`${url}/api/v3/traces/${traceId}`);
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw new Error(`Jaeger /api/v3/traces answered ${response.status}: ${await response.text()}`);
    }
    const body = (await response.json()) as {
      result?: {
        resourceSpans?: Array<{
          resource?: { attributes?: OtlpAttribute[] };
          scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }>;
        }>;
      };
    };
    const found: StoredSpan[] = [];
    for (const rs of body.result?.resourceSpans ?? []) {
      const resource = attributeMap(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          const status = (s.status ?? {}) as { code?: string | number; message?: string };
          found.push({
            traceId: hexId(String(s.traceId), 16),
            spanId: hexId(String(s.spanId), 8),
            name: String(s.name),
            kind: String(s.kind),
            statusCode: String(status.code ?? ''),
            statusMessage: status.message,
            startMs: Number(BigInt(String(s.startTimeUnixNano)) / 1_000_000n),
            endMs: Number(BigInt(String(s.endTimeUnixNano)) / 1_000_000n),
            attributes: attributeMap(s.attributes as OtlpAttribute[]),
            resource,
          });
        }
      }
    }
    return found.length >= spans ? found : undefined;
  });
}
