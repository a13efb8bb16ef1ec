// Waits until Tempo serves a trace by id, so the backend's queries made next can find it.
export async function waitForTrace(tempoUrl: string, traceId: string, spanCount: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const response = await fetch(`${tempoUrl}/api/v2/traces/${traceId}`, { headers: { accept: 'application/json' } });
    if (response.ok) {
      const spans = countSpans(await response.json());
      if (spans >= spanCount) {
        return;
      }
      last = `${spans} of ${spanCount} spans`;
    } else {
      last = `${response.status}`;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Tempo did not serve trace ${traceId} with ${spanCount} spans within 60s (last: ${last})`);
}

/** Waits until TraceQL search finds the trace: search covers fewer paths than lookup by id. */
export async function waitForSearch(tempoUrl: string, traceql: string, traceId: string, fromMs: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const params = new URLSearchParams({
      q: traceql,
      start: String(Math.floor(fromMs / 1000) - 60),
      end: String(Math.ceil(Date.now() / 1000) + 60),
    });
    const response = await fetch(`${tempoUrl}/api/search?${params}`);
    if (response.ok) {
      const payload = (await response.json()) as { traces?: Array<{ traceID: string }> };
      // Tempo search drops leading zeros of trace ids.
      if ((payload.traces ?? []).some((t) => t.traceID.padStart(32, '0') === traceId)) {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`Tempo search ${traceql} did not find trace ${traceId} within 60s`);
}

interface TraceJson {
  trace?: { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> };
}

function countSpans(payload: unknown): number {
  const resourceSpans = (payload as TraceJson).trace?.resourceSpans ?? [];
  return resourceSpans.reduce(
    (n, rs) => n + (rs.scopeSpans ?? []).reduce((m, ss) => m + (ss.spans?.length ?? 0), 0),
    0
  );
}
