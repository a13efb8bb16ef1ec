// Mixed loopback traffic for the soak test, for a bounded time: HTTP with and without trace headers (new and
// keep-alive connections), a non-HTTP TCP protocol, DNS lookups, refused connects and server resets.
// Prints what it did as one JSON line. Usage: soakTraffic.mjs SECONDS HTTP_PORT ECHO_PORT CLOSED_PORT DNS_SERVER
import { Resolver } from 'node:dns/promises';
import { Agent, createServer, request } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';

const [seconds, httpPort, echoPort, closedPort] = process.argv.slice(2, 6).map(Number);
const dnsServer = process.argv[6];
const counts = { tracedRequests: 0, plainRequests: 0, echoes: 0, serverResets: 0, refused: 0, lookups: 0 };

const http = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(JSON.stringify({ path: req.url })));
});
// Lines are echoed; "reset" makes the server abort the connection with an RST.
const echo = createTcpServer((socket) => {
  socket.on('data', (d) => (d.toString().startsWith('reset') ? socket.resetAndDestroy() : socket.write(d)));
  socket.on('error', () => undefined);
});
await new Promise((r) => http.listen(httpPort, '127.0.0.1', r));
await new Promise((r) => echo.listen(echoPort, '127.0.0.1', r));

const keepAlive = new Agent({ keepAlive: true, maxSockets: 2 });
const fresh = new Agent({ keepAlive: false });

function get(path, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: httpPort, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

function tcpExchange(port, line) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(line));
    socket.on('data', () => socket.end());
    socket.on('error', (err) => resolve(err.code ?? 'error'));
    socket.on('close', () => resolve('closed'));
  });
}

const resolver = new Resolver({ timeout: 5000, tries: 1 });
resolver.setServers([dnsServer]);
const hex = (n, width) => n.toString(16).padStart(width, '0');
const until = Date.now() + seconds * 1000;

for (let i = 0; Date.now() < until; i++) {
  const traceparent = `00-${hex(i + 1, 32)}-${hex(i + 1, 16)}-01`;
  await get(`/traced/${i}`, { traceparent }, i % 2 ? keepAlive : fresh);
  counts.tracedRequests++;
  await get(`/plain/${i}`, {}, i % 3 ? keepAlive : fresh);
  counts.plainRequests++;
  if ((await tcpExchange(echoPort, `hello ${i}\n`)) === 'closed') {
    counts.echoes++;
  }
  await resolver.resolve4(`svc${i % 7}.soak.test`).catch(() => undefined);
  counts.lookups++;
  if (i % 5 === 0 && (await tcpExchange(closedPort, 'x')) === 'ECONNREFUSED') {
    counts.refused++;
  }
  if (i % 7 === 0) {
    await tcpExchange(echoPort, 'reset\n');
    counts.serverResets++;
  }
  // Paced, not flooded: the soak is about duration and mixture, not rate.
  await new Promise((r) => setTimeout(r, 50));
}
keepAlive.destroy();
await new Promise((r) => http.close(r));
await new Promise((r) => echo.close(r));
process.stdout.write(`${JSON.stringify(counts)}\n`);
