// The reverse of a port forward: a loopback port inside a pod's or the node's network namespace that reaches a
// loopback port of this (the host's) namespace, so processes in the namespace reach the peers (Jaeger's OTLP
// receiver, VictoriaLogs) without any address outside loopback being opened. Each connection is piped through a
// relay started back in this namespace with nsenter.
import { type ChildProcess, spawn } from 'node:child_process';

const LISTENER = `
const { spawn } = require('node:child_process');
const [listenPort, hostNetns, targetPort, node, relay] = process.argv.slice(1);
const server = require('node:net').createServer((socket) => {
  const child = spawn('nsenter', ['--net=' + hostNetns, node, '-e', relay, targetPort], { stdio: ['pipe', 'pipe', 'ignore'] });
  socket.pipe(child.stdin);
  child.stdout.pipe(socket);
  socket.on('error', () => child.kill());
  socket.on('close', () => child.kill());
  child.on('exit', () => socket.end());
  child.stdin.on('error', () => socket.destroy());
});
server.listen(Number(listenPort), '127.0.0.1', () => process.stdout.write('listening\\n'));
`;

const RELAY = `
const socket = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('error', () => process.exit(1));
socket.on('close', () => process.exit(0));
`;

export class HostPortRelay {
  private child?: ChildProcess;

  constructor(
    private readonly netns: string,
    private readonly port: number,
    private readonly nodeBinary: string
  ) {}

  /** Listens on 127.0.0.1:<port> inside the namespace, relaying to 127.0.0.1:<port> here. */
  async start(): Promise<void> {
    const hostNetns = `/proc/${process.pid}/ns/net`;
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        this.netns,
        this.nodeBinary,
        '-e',
        LISTENER,
        String(this.port),
        hostNetns,
        String(this.port),
        this.nodeBinary,
        RELAY,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    this.child = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!out.includes('listening')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`relay into ${this.netns}:${this.port} did not start (exit ${child.exitCode}): ${err.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): void {
    this.child?.kill('SIGTERM');
  }
}
