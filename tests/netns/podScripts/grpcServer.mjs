// A gRPC server (grpc-js, cleartext HTTP/2) for network tests: shop.Orders/Get answers OK, shop.Orders/Cancel fails
// with NOT_FOUND and a message. Messages are raw bytes: no protobuf schema is needed to exercise the transport.
import { Server, ServerCredentials, status } from '@grpc/grpc-js';

const [host, port] = [process.argv[2], Number(process.argv[3])];
const raw = { serialize: (b) => b, deserialize: (b) => b };
const unary = (path) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: raw.serialize,
  requestDeserialize: raw.deserialize,
  responseSerialize: raw.serialize,
  responseDeserialize: raw.deserialize,
});
const server = new Server();
server.addService(
  { Get: unary('/shop.Orders/Get'), Cancel: unary('/shop.Orders/Cancel') },
  {
    Get: (call, callback) => callback(null, Buffer.concat([Buffer.from('order:'), call.request])),
    Cancel: (call, callback) => callback({ code: status.NOT_FOUND, details: `order ${call.request} not found` }),
  }
);
server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err) => {
  if (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write('listening\n');
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
