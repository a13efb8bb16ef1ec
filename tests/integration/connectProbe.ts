// Runs inside a pod's network namespace: one real HTTP call, printed as one JSON line with its wall-clock times.
// Usage: node connectProbe.ts <ip> <port> <path> <timeoutMs> [traceparent]
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [ip, portText, path, timeoutText, traceparent] = process.argv.slice(2);
const port = Number(portText);
const timeoutMs = Number(timeoutText);
const now = (): number => performance.timeOrigin + performance.now();

const startMs = now();
const req = request({
  host: ip,
  port,
  path,
  method: 'POST',
  agent: false,
  headers: { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) },
});
// Node's connect has no timeout of its own; an application's client gives up like this and reports ETIMEDOUT.
const timer = setTimeout(() => {
  const error = Object.assign(new Error(`connect ETIMEDOUT ${ip}:${port}`), { code: 'ETIMEDOUT' });
  req.destroy(error);
}, timeoutMs);
req.on('response', (res) => {
  res.resume();
  res.on('end', () => {
    clearTimeout(timer);
    process.stdout.write(JSON.stringify({ startMs, endMs: now(), status: res.statusCode }) + '\n');
  });
});
req.on('error', (err: NodeJS.ErrnoException) => {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify({ startMs, endMs: now(), error: err.message, errorCode: err.code }) + '\n');
});
req.end(JSON.stringify({ order: 'integration' }));
