// An HTTP/1.1 server for a harness pod: /status/NNN answers NNN, anything else 200; request bodies are read and counted.
import { createServer } from 'node:http';

const [host, port] = [process.argv[2], Number(process.argv[3])];
const server = createServer((req, res) => {
  let received = 0;
  req.on('data', (chunk) => (received += chunk.length));
  req.on('end', () => {
    const m = /^\/status\/(\d{3})/.exec(req.url ?? '');
    const status = m ? Number(m[1]) : 200;
    const body = JSON.stringify({ path: req.url, received });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, host, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
