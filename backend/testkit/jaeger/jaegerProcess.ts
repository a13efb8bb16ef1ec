// Runs the real Jaeger v2 (in-memory storage) on free loopback ports, for recordings and live tests only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningJaeger {
  // Query HTTP API (/api/v3/…, /api/traces).
  httpUrl: string;
  // Query gRPC API (jaeger.api_v3.QueryService), as http://127.0.0.1:port.
  grpcUrl: string;
  // OTLP/HTTP receiver base (POST /v1/traces).
  otlpHttpUrl: string;
  // Everything Jaeger printed, for failure messages.
  output(): string;
  stop(): Promise<void>;
}

// Generous: the first start of a 100 MB binary on a loaded 2-core machine is slow; exit is noticed at once.
const READY_WITHIN_MS = 180_000;

export async function startJaeger(binary: string): Promise<RunningJaeger> {
  const [otlpGrpc, otlpHttp, queryHttp, queryGrpc, health] = await freePorts(5);
  const dir = mkdtempSync(join(tmpdir(), 'wiretrace-jaeger-'));
  const config = join(dir, 'jaeger.yaml');
  writeFileSync(config, jaegerConfig({ otlpGrpc, otlpHttp, queryHttp, queryGrpc, health }));
  const child = spawn(binary, ['--config', `file:${config}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const running: RunningJaeger = {
    httpUrl: `http://127.0.0.1:${queryHttp}`,
    grpcUrl: `http://127.0.0.1:${queryGrpc}`,
    otlpHttpUrl: `http://127.0.0.1:${otlpHttp}`,
    output: () => output,
    stop: async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitReady(child, `${running.httpUrl}/api/v3/services`, () => output);
  } catch (err) {
    await running.stop();
    throw err;
  }
  return running;
}

function jaegerConfig(p: Record<'otlpGrpc' | 'otlpHttp' | 'queryHttp' | 'queryGrpc' | 'health', number>): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${p.health}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${p.queryHttp}
    grpc:
      endpoint: 127.0.0.1:${p.queryGrpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${p.otlpGrpc}
      http:
        endpoint: 127.0.0.1:${p.otlpHttp}
processors:
  batch:
    timeout: 50ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

async function waitReady(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  for (;;) {
    if (exited) {
      throw new Error(`Jaeger ${exited} before answering: ${output().slice(-2000)}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`Jaeger did not answer ${url} within ${READY_WITHIN_MS} ms: ${output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(forced);
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        })
    )
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
