// Hostile clients of the agent API, run inside the agent's namespace: prints one JSON object of what each probe saw.
// Usage: apiProbes.mjs PORT
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const base = `http://127.0.0.1:${port}`;
const results = {};

async function status(path, init = {}) {
  const r = await fetch(base + path, { ...init, signal: AbortSignal.timeout(30_000) });
  const body = await r.text();
  return { status: r.status, body: body.slice(0, 300), bodyLength: body.length };
}

// Raw bytes on a fresh connection: what came back and how long until the server closed it.
function raw(bytes, { keepOpenMs = 0, deadlineMs = 60_000 } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => {
      if (bytes) {
        socket.write(bytes);
      }
    });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ data: data.slice(0, 200), closedAfterMs: null });
    }, deadlineMs);
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data: data.slice(0, 200), closedAfterMs: Date.now() - started, heldMs: keepOpenMs });
    });
  });
}

for (const [name, path] of Object.entries({
  hugeLimit: '/api/v1/events?limit=1e12',
  badTraceId: '/api/v1/events?traceId=zz',
  protoKind: '/api/v1/events?kind=__proto__',
  invertedRange: '/api/v1/events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
  hugeNanoseconds: `/api/v1/topology?from=${'9'.repeat(300)}`,
  longValue: `/api/v1/events?pod=${'p'.repeat(4000)}`,
  manyParams: `/api/v1/events?${Array.from({ length: 200 }, (_, i) => `pod=${i}`).join('&')}`,
  constructorRoute: '/constructor',
  protoRoute: '/__proto__',
  traversal: '/api/v1/events/../../../etc/passwd',
  doubleSlash: '//',
  encodedSlashes: '/%2e%2e/%2e%2e/etc/passwd',
})) {
  results[name] = await status(path);
}
results.hugeUrl = await status(`/api/v1/events?pod=${'p'.repeat(100_000)}`);
results.hugeHeader = await status('/healthz', { headers: { 'X-Filler': 'x'.repeat(64 * 1024) } });
results.postBody = await status('/api/v1/events', { method: 'POST', body: Buffer.alloc(8 * 1024 * 1024) });
results.garbage = await raw('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n');
// Headers that never finish, from more clients than the server takes at once.
const slow = Array.from({ length: 300 }, () => raw('GET /healthz HTTP/1.1\r\nHost: agent\r\nX-Slow: 1\r\n'));
const slowDone = await Promise.all(slow);
results.slowloris = {
  count: slowDone.length,
  allClosed: slowDone.every((r) => r.closedAfterMs !== null),
  maxClosedAfterMs: Math.max(...slowDone.map((r) => r.closedAfterMs ?? Infinity)),
  answered408: slowDone.filter((r) => r.data.startsWith('HTTP/1.1 408')).length,
  refusedUnanswered: slowDone.filter((r) => r.data === '').length,
};
// A keep-alive connection left idle after one answer.
results.idleKeepAlive = await raw('GET /healthz HTTP/1.1\r\nHost: agent\r\n\r\n');
results.healthAfter = await status('/healthz');
const parallel = await Promise.all(Array.from({ length: 50 }, () => status('/api/v1/events?limit=100000')));
results.parallelQueries = parallel.map((r) => r.status);
process.stdout.write(`${JSON.stringify(results)}\n`);
