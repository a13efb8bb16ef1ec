// A loopback HTTP receiver for exporter tests that answers as told (fail, recover, go away) and records requests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  // The status the receiver answered.
  status: number;
}

export type Answer = { status: number; body?: string | Uint8Array; contentType?: string };

export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  // Decides the answer for each request; accepted requests are the ones answered 2xx.
  answer: (request: Omit<ReceivedRequest, 'status'>, index: number) => Answer = () => ({ status: 204 });
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status < 300);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        const answer = this.answer(received, this.requests.length);
        this.requests.push({ ...received, status: answer.status });
        res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'text/plain' });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  // Stops listening: clients see connection errors until start() is called again (same port).
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

// Waits for state; the bound only ends a hang, long enough for a fully busy machine.
export async function waitFor(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
