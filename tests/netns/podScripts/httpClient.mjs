// Runs a plan of HTTP requests from a harness pod and prints one JSON result per request (trace ids it sent, status or error).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new Agent({ keepAlive: plan.keepAlive !== false, maxSockets: plan.concurrency ?? 1 });

function nowUs() {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

function propagationHeaders(r) {
  switch (r.propagation) {
    case 'b3':
      return { b3: `${r.traceId}-${r.spanId}-1` };
    case 'uber-trace-id':
      return { 'uber-trace-id': `${r.traceId}:${r.spanId}:0:1` };
    default:
      return { traceparent: `00-${r.traceId}-${r.spanId}-01` };
  }
}

function send(r) {
  return new Promise((resolve) => {
    const url = new URL(r.url);
    const body = r.bodyBytes ? Buffer.alloc(r.bodyBytes, 0x61) : undefined;
    const result = { ...r, startUs: nowUs() };
    let socketRef;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: r.method,
        agent,
        signal: AbortSignal.timeout(r.timeoutMs ?? plan.timeoutMs ?? 5000),
        headers: { ...propagationHeaders(r), ...(body ? { 'Content-Length': body.length } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ ...result, status: res.statusCode, srcPort: socketRef?.localPort, endUs: nowUs() })
        );
      }
    );
    req.on('socket', (socket) => {
      socketRef = socket;
      socket.once('connect', () => (result.srcPort = socket.localPort));
      // Before a connect completes, the kernel has already chosen the source port.
      setTimeout(() => {
        if (result.srcPort === undefined && socket.localPort) {
          result.srcPort = socket.localPort;
        }
      }, 20);
    });
    req.on('error', (err) => {
      const code = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'ETIMEDOUT' : (err.code ?? err.message);
      resolve({ ...result, error: code, endUs: nowUs() });
    });
    req.end(body);
  });
}

const queue = [...plan.requests];
const results = [];
async function worker() {
  while (queue.length > 0) {
    results.push(await send(queue.shift()));
  }
}
await Promise.all(Array.from({ length: plan.concurrency ?? 1 }, worker));
agent.destroy();
process.stdout.write(JSON.stringify(results) + '\n');
