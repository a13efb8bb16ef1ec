// Bulk TCP both ways for the lossy-path tests. `server HOST PORT` echoes back as many bytes as each connection
// asks for after reading its upload; `client HOST PORT CONNECTIONS UPLOAD DOWNLOAD` prints the local ports as JSON.
import { connect, createServer } from 'node:net';

const [mode, host, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);

if (mode === 'server') {
  const server = createServer((socket) => {
    let header = Buffer.alloc(0);
    let upload = -1;
    let download = 0;
    socket.on('data', (chunk) => {
      if (upload < 0) {
        header = Buffer.concat([header, chunk]);
        if (header.length < 8) {
          return;
        }
        upload = header.readUInt32BE(0) - (header.length - 8);
        download = header.readUInt32BE(4);
      } else {
        upload -= chunk.length;
      }
      if (upload === 0) {
        upload = -2;
        socket.end(Buffer.alloc(download, 0x62));
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(port, host, () => process.stdout.write('listening\n'));
} else {
  const [connections, upload, download] = rest.map(Number);
  const ports = [];
  for (let i = 0; i < connections; i++) {
    ports.push(
      await new Promise((resolve, reject) => {
        let localPort = 0;
        const socket = connect({ host, port }, () => {
          localPort = socket.localPort;
          const header = Buffer.alloc(8);
          header.writeUInt32BE(upload, 0);
          header.writeUInt32BE(download, 4);
          socket.write(Buffer.concat([header, Buffer.alloc(upload, 0x61)]));
        });
        let received = 0;
        socket.on('data', (d) => (received += d.length));
        socket.on('end', () => {
          socket.end();
          if (received === download) {
            resolve(localPort);
          } else {
            reject(new Error(`received ${received} of ${download} bytes`));
          }
        });
        socket.on('error', reject);
      })
    );
  }
  process.stdout.write(JSON.stringify(ports) + '\n');
}
