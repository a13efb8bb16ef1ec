// The exporter against a real Loki (WIRETRACE_LOKI_URL, e.g. from `npm run stack`), behind a loopback gate that
// fails on purpose for a while: every event must be queryable afterwards exactly once, in order per stream.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NetworkEvent } from '../../model/events';
import { LokiExporter } from './lokiExporter';
import { numberedEvent } from './testEvents';
import { waitFor } from './testReceiver';

const LOKI = process.env.WIRETRACE_LOKI_URL;
const describeLoki = LOKI ? describe : describe.skip;

// Forwards pushes to Loki while `open`, answers 503 while closed.
async function startGate(
  target: string
): Promise<{ server: Server; url: string; setOpen(open: boolean): void; refused: () => number }> {
  let open = false;
  let refused = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!open) {
        refused++;
        res.writeHead(503).end('gate closed');
        return;
      }
      fetch(`${target}${req.url}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: Buffer.concat(chunks),
      })
        .then(async (upstream) => res.writeHead(upstream.status).end(await upstream.text()))
        .catch((err: Error) => res.writeHead(502).end(err.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, setOpen: (o) => (open = o), refused: () => refused };
}

interface QueryResult {
  data: { result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> };
}

describeLoki(`LokiExporter against real Loki${LOKI ? '' : ' (skipped: WIRETRACE_LOKI_URL is not set)'}`, () => {
  it('an outage loses no event: each arrives once, in order per stream, with structured metadata', async () => {
    const run = `wt-${randomBytes(4).toString('hex')}`;
    const namespaces = [`${run}-a`, `${run}-b`, `${run}-c`];
    const startUs = (Date.now() - 60_000) * 1000;
    const events: NetworkEvent[] = Array.from({ length: 120 }, (_, i) => ({
      ...numberedEvent(i, namespaces),
      time: startUs + i * 1000,
    }));
    const gate = await startGate(LOKI!);
    const exporter = new LokiExporter({
      url: gate.url,
      batchSize: 20,
      batchWaitMs: 5,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    try {
      events.forEach((e) => exporter.export(e));
      await waitFor(() => gate.refused() >= 3);
      gate.setOpen(true);
      await waitFor(() => exporter.counters.sent === events.length);
    } finally {
      await exporter.close();
      gate.server.close();
    }

    const params = new URLSearchParams({
      query: `{service_name="wiretrace-agent", namespace=~"${run}-.*"}`,
      start: String((startUs - 1_000_000) * 1000),
      end: String((startUs + 10_000_000) * 1000),
      limit: '5000',
      direction: 'forward',
    });
    let result: QueryResult['data']['result'] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${LOKI}/loki/api/v1/query_range?${params}`);
      result = ((await response.json()) as QueryResult).data.result;
      if (result.reduce((n, s) => n + s.values.length, 0) >= events.length) {
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const received = result.flatMap((s) =>
      s.values.map(([ts, line]) => ({ ts, event: JSON.parse(line) as NetworkEvent }))
    );
    expect(received.map((r) => r.event.src.port).sort((a, b) => a! - b!)).toEqual(events.map((e) => e.src.port));
    for (const stream of result) {
      const times = stream.values.map(([ts]) => BigInt(ts));
      expect(times).toEqual([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    // Structured metadata comes back as labels of the result streams.
    expect(result.some((s) => s.stream.trace_id && s.stream.pod && s.stream.src_ip)).toBe(true);
  });
});
