// A Kubernetes API server in miniature for informer tests: list with resourceVersion, chunked watch streams of
// JSON events, on 127.0.0.1. Tests script the events; the real client library talks to it over a real socket.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

export interface RecordedRequest {
  path: string;
  watch: boolean;
  resourceVersion?: string;
  allowWatchBookmarks?: string;
}

interface ResourceState {
  kind: string;
  resourceVersion: string;
  items: unknown[];
  // Status code to answer the next lists with, until cleared (simulates an API server failing).
  failLists?: number;
  watchers: Set<ServerResponse>;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly resources = new Map<string, ResourceState>();
  private server?: Server;

  setList(path: string, kind: string, resourceVersion: string, items: unknown[]): void {
    const state = this.resources.get(path);
    this.resources.set(path, { kind, resourceVersion, items, watchers: state?.watchers ?? new Set() });
  }

  failLists(path: string, status: number | undefined): void {
    const state = this.resources.get(path);
    if (state) {
      state.failLists = status;
    }
  }

  push(path: string, event: WatchEvent): void {
    for (const res of this.resources.get(path)?.watchers ?? []) {
      res.write(`${JSON.stringify(event)}\n`);
    }
  }

  // Ends watch streams cleanly (as an API server does at its timeout) or cuts the socket.
  closeWatches(path: string, abrupt = false): void {
    const state = this.resources.get(path);
    for (const res of state?.watchers ?? []) {
      if (abrupt) {
        res.socket?.destroy();
      } else {
        res.end();
      }
    }
    state?.watchers.clear();
  }

  watcherCount(path: string): number {
    return this.resources.get(path)?.watchers.size ?? 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const path of this.resources.keys()) {
      this.closeWatches(path, true);
    }
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({
      path: url.pathname,
      watch,
      resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
      allowWatchBookmarks: url.searchParams.get('allowWatchBookmarks') ?? undefined,
    });
    const state = this.resources.get(url.pathname);
    if (!state) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' }));
      return;
    }
    if (!watch) {
      if (state.failLists) {
        res.writeHead(state.failLists, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: state.failLists }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: state.kind,
          apiVersion: 'v1',
          metadata: { resourceVersion: state.resourceVersion },
          items: state.items,
        })
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    state.watchers.add(res);
    res.on('close', () => state.watchers.delete(res));
  }
}
