// A gRPC client (grpc-js, cleartext) for network tests: the calls given as JSON on argv[3], all on one channel, each
// with its own metadata (traceparent among them); prints one JSON line per call with the status the client saw.
import { credentials, makeGenericClientConstructor, Metadata } from '@grpc/grpc-js';

const target = process.argv[2];
const calls = JSON.parse(process.argv[3]);
const raw = (b) => b;
const Client = makeGenericClientConstructor({}, 'Orders');
const client = new Client(target, credentials.createInsecure());
for (const call of calls) {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(call.metadata ?? {})) {
    metadata.set(key, value);
  }
  const result = await new Promise((resolve) => {
    client.makeUnaryRequest(call.path, raw, raw, Buffer.from(call.body ?? ''), metadata, (err) =>
      resolve({ path: call.path, code: err ? err.code : 0, details: err ? err.details : '' })
    );
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
client.close();
