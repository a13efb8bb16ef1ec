// Application log lines pushed to Loki the way an app's log shipper would: JSON lines carrying trace_id,
// stream labels service_name/namespace/pod, and trace_id also as structured metadata.
import type { PodIdentity } from './podTracer';

export interface AppLogLine {
  timeMs: number;
  level: 'info' | 'error';
  message: string;
  traceId: string;
  spanId: string;
}

export async function pushAppLogs(lokiUrl: string, pod: PodIdentity, lines: AppLogLine[]): Promise<void> {
  const body = {
    streams: [
      {
        stream: { service_name: pod.service, namespace: pod.namespace, pod: pod.pod },
        values: lines.map((l) => [
          `${BigInt(Math.round(l.timeMs * 1000)) * 1000n}`,
          JSON.stringify({ level: l.level, msg: l.message, trace_id: l.traceId, span_id: l.spanId }),
          { trace_id: l.traceId },
        ]),
      },
    ],
  };
  const response = await fetch(`${lokiUrl}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 204) {
    throw new Error(`Loki push answered ${response.status}: ${await response.text()}`);
  }
}

/** Waits until Loki returns `count` lines for the trace, so queries made next see them. */
export async function waitForLogs(
  lokiUrl: string,
  pod: PodIdentity,
  traceId: string,
  count: number,
  fromMs: number
): Promise<void> {
  const query = `{service_name="${pod.service}"} | trace_id="${traceId}"`;
  const params = new URLSearchParams({
    query,
    start: `${Math.floor(fromMs - 60_000)}000000`,
    end: `${Math.ceil(Date.now() + 60_000)}000000`,
    limit: '100',
  });
  const deadline = Date.now() + 30_000;
  let seen = 0;
  while (Date.now() < deadline) {
    const response = await fetch(`${lokiUrl}/loki/api/v1/query_range?${params}`);
    if (response.ok) {
      const payload = (await response.json()) as { data: { result: Array<{ values: unknown[] }> } };
      seen = payload.data.result.reduce((n, s) => n + s.values.length, 0);
      if (seen >= count) {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Loki returned ${seen} of ${count} lines for trace ${traceId} after 30s`);
}
