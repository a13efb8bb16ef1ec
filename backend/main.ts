// Entry point Grafana starts: serves the plugin protocol on loopback and announces it with the go-plugin handshake line.
import * as grpc from '@grpc/grpc-js';

const server = new grpc.Server();
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    process.stderr.write(JSON.stringify({ '@level': 'error', '@message': 'bind failed', error: err.message }) + '\n');
    process.exit(1);
  }
  process.stdout.write(`1|2|tcp|127.0.0.1:${port}|grpc\n`);
});
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => server.forceShutdown());
