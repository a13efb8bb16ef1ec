// The bytes a real client library writes when it opens a connection, recorded on a socket that goes nowhere.
import { Duplex } from 'node:stream';

export async function firstFlight(open: (socket: Duplex) => { destroy(): void }): Promise<Uint8Array> {
  const written: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      written.push(chunk);
      done();
    },
  });
  const client = open(socket);
  await new Promise((r) => setTimeout(r, 50));
  client.destroy();
  return Buffer.concat(written);
}
