// One handler behind HTTPS and cleartext HTTP for timing tests: it thinks THINK_MS before answering, then sends the
// body in two writes TRANSFER_MS apart, so time to first byte and transfer are each long enough to measure. The TLS
// session keys go to a key log file, so tshark can read what the agent must time without decrypting.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';

const [host, httpsPort, httpPort, certFile, keyFile, keyLog] = process.argv.slice(2);
const THINK_MS = 12;
const TRANSFER_MS = 8;

function answer(req, res) {
  req.resume();
  req.on('end', () => {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Path': req.url ?? '' });
      res.write(`first part of ${req.url}\n`);
      setTimeout(() => res.end('second part\n'), TRANSFER_MS);
    }, THINK_MS);
  });
}

const tls = createHttps(
  {
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    ALPNProtocols: ['http/1.1'],
    minVersion: 'TLSv1.2',
  },
  answer
);
tls.on('keylog', (line) => appendFileSync(keyLog, line));
const plain = createHttp(answer);
for (const server of [tls, plain]) {
  server.keepAliveTimeout = 30_000;
}
let listening = 0;
const ready = () => ++listening === 2 && process.stdout.write('listening\n');
tls.listen(Number(httpsPort), host, ready);
plain.listen(Number(httpPort), host, ready);
process.on('SIGTERM', () => {
  tls.close();
  plain.close();
  tls.closeAllConnections();
  plain.closeAllConnections();
  process.exit(0);
});
