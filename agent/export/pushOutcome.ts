// One HTTP push and what to do next: done, retry later (429, 5xx, 408, network), or give up (other 4xx).
export type PushOutcome =
  | { kind: 'ok'; status: number }
  | { kind: 'retry'; status?: number; message: string }
  | { kind: 'rejected'; status: number; message: string };

export interface PushRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  timeoutMs: number;
}

export function classifyStatus(status: number, body: string): PushOutcome {
  if (status >= 200 && status < 300) {
    return { kind: 'ok', status };
  }
  const message = `HTTP ${status}: ${body.slice(0, 300).trim()}`;
  if (status === 429 || status === 408 || status >= 500) {
    return { kind: 'retry', status, message };
  }
  return { kind: 'rejected', status, message };
}

export async function push(request: PushRequest): Promise<PushOutcome> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    return classifyStatus(response.status, text);
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { kind: 'retry', message: `${err instanceof Error ? err.message : String(err)}${cause}` };
  }
}
