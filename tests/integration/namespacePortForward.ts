// Like `kubectl port-forward`: a loopback port in this namespace that reaches a loopback port inside another
// network namespace (the node's, where the agent listens). Each connection is piped through a small relay
// process started in the target namespace, so no address outside loopback is ever opened.
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';

const RELAY = `
const socket = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('error', () => process.exit(1));
socket.on('close', () => process.exit(0));
`;

export class NamespacePortForward {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private localPort = 0;

  constructor(netns: string, targetPort: number, nodeBinary: string) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      const relay = spawn('ip', ['netns', 'exec', netns, nodeBinary, '-e', RELAY, String(targetPort)], {
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      socket.pipe(relay.stdin!);
      relay.stdout!.pipe(socket);
      const close = () => {
        socket.destroy();
        relay.kill('SIGTERM');
        this.sockets.delete(socket);
      };
      socket.on('error', close);
      socket.on('close', close);
      // A relay that exited while the client still writes: its stdin fails with EPIPE, which ends the connection.
      relay.stdin!.on('error', close);
      relay.on('exit', () => socket.end());
    });
  }

  /** Starts listening on a loopback port (a free one unless given); returns the URL prefix that reaches the target. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolvePromise, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolvePromise());
    });
    const address = this.server.address();
    this.localPort = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${this.localPort}`;
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolvePromise) => this.server.close(() => resolvePromise()));
  }
}
