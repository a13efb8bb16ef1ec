// Starts the real single executable as Grafana would and talks to it over gRPC.
import * as grpc from '@grpc/grpc-js';
import { Type, tableFromIPC } from 'apache-arrow';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestServer, type TestServer } from '../testkit/testServer';
import { ControllerService, DataService, DiagnosticsService, HealthService } from './codec';

const EXECUTABLE = resolve(__dirname, '../../dist/datasource/gpx_wiretrace_linux_amd64');
const AGENT_TOKEN = 'agent-secret-e41c9b0f';
const TEMPO_TOKEN = 'tempo-secret-77d2aa31';
// A ~100 MB single executable that a loaded two-core machine can take many seconds to start, answer or stop;
// the waits are event-driven, this only bounds a hung child process.
const EXECUTABLE_TIMEOUT_MS = 60_000;

type Call = (
  request: object,
  callback: (err: grpc.ServiceError | null, response: Record<string, unknown>) => void
) => void;

function clientFor(service: grpc.ServiceDefinition, address: string): Record<string, Call> {
  const Ctor = grpc.makeGenericClientConstructor(service, 'plugin');
  const client = new Ctor(address, grpc.credentials.createInsecure()) as unknown as Record<string, Call>;
  return client;
}

function call(client: Record<string, Call>, method: string, request: object): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => client[method].call(client, request, (err, res) => (err ? fail(err) : ok(res))));
}

function pluginContext(jsonData: object, secure: Record<string, string>) {
  return {
    orgId: 1,
    pluginId: 'wiretrace-datasource',
    dataSourceInstanceSettings: {
      uid: 'wt',
      name: 'Wiretrace',
      jsonData: Buffer.from(JSON.stringify(jsonData)),
      decryptedSecureJsonData: secure,
    },
  };
}

describe('the backend executable', () => {
  let plugin: ChildProcess;
  let address: string;
  let stdout = '';
  let stderr = '';
  let firstLogLine: Promise<string>;
  let agent: TestServer;
  let tempo: TestServer;

  beforeAll(async () => {
    if (!existsSync(EXECUTABLE)) {
      execFileSync(process.execPath, ['scripts/build-backend.mjs'], {
        cwd: resolve(__dirname, '../..'),
        stdio: 'ignore',
      });
    }
    agent = await startTestServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${AGENT_TOKEN}`) {
        res.statusCode = 401;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          node: 'n1',
          truncated: false,
          events: [
            {
              kind: 'drop',
              time: 1_700_000_000_000_000,
              transport: 'tcp',
              source: 'nflog',
              src: { ip: '10.0.0.1', pod: 'a' },
              dst: { ip: '10.0.0.2', port: 80 },
              drop: { reason: 'policy_denied', verdict: 'dropped' },
            },
          ],
        })
      );
    });
    // A Tempo that echoes the credentials it refuses, as some proxies do.
    tempo = await startTestServer((req, res) => {
      res.statusCode = req.url === '/ready' ? 200 : 401;
      res.end(req.url === '/ready' ? 'ready' : `token ${req.headers.authorization} is not valid`);
    });
    plugin = spawn(EXECUTABLE, [], {
      env: { PATH: process.env.PATH, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    firstLogLine = new Promise<string>((ok) =>
      plugin.stderr!.on('data', (d) => {
        stderr += d;
        if (stderr.includes('\n')) {
          ok(stderr.split('\n')[0]);
        }
      })
    );
    address = await new Promise<string>((ok, fail) => {
      plugin.stdout!.on('data', (d) => {
        stdout += d;
        const line = stdout.split('\n')[0];
        const match = /^1\|2\|tcp\|(127\.0\.0\.1:\d+)\|grpc$/.exec(line);
        if (stdout.includes('\n')) {
          return match ? ok(match[1]) : fail(new Error(`bad handshake line: ${line}`));
        }
      });
      plugin.on('exit', (code) => fail(new Error(`plugin exited with ${code}: ${stderr}`)));
    });
  }, 180_000); // building the executable when it is missing takes longer than starting it

  afterAll(async () => {
    plugin?.kill('SIGKILL');
    await Promise.all([agent?.close(), tempo?.close()]);
  });

  it('prints only the go-plugin handshake on stdout and logs hclog JSON on stderr', async () => {
    const first = JSON.parse(await firstLogLine);
    expect(stdout).toBe(`1|2|tcp|${address}|grpc\n`);
    expect(first).toMatchObject({ '@level': 'info', '@message': 'plugin serving', address });
  });

  it('answers the go-plugin health check for the service "plugin"', async () => {
    const res = await call(clientFor(HealthService, address), 'Check', { service: 'plugin' });
    expect(res.status).toBe(1);
  });

  it('answers QueryData with Arrow IPC file frames, one response per query', async () => {
    const res = await call(clientFor(DataService, address), 'QueryData', {
      pluginContext: pluginContext({ agentUrls: [agent.url] }, { agentToken: AGENT_TOKEN }),
      queries: [
        {
          refId: 'A',
          queryType: 'flows',
          json: Buffer.from('{"queryType":"flows"}'),
          timeRange: { fromEpochMS: 1, toEpochMS: 2 },
        },
        { refId: 'B', json: Buffer.from('{not json') },
      ],
    });
    const responses = res.responses as Record<
      string,
      { status: number; frames: Uint8Array[]; error: string; errorSource: string }
    >;
    expect(responses.A.status).toBe(200);
    const table = tableFromIPC(responses.A.frames[0]);
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(table.schema.fields.find((f) => f.name === 'src_pod')?.type.typeId).toBe(Type.Utf8);
    expect(table.getChild('reason')?.get(0)).toBe('policy_denied');
    expect(responses.B).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(responses.B.error).toMatch(/^query JSON is malformed/);
  });

  it('never puts a secret in health answers or logs, even when the upstream echoes it', async () => {
    const res = await call(clientFor(DiagnosticsService, address), 'CheckHealth', {
      pluginContext: pluginContext(
        { tempo: { url: tempo.url, auth: 'bearer' }, agentUrls: [agent.url] },
        { tempoToken: TEMPO_TOKEN, agentToken: AGENT_TOKEN }
      ),
    });
    expect(res.status).toBe(2);
    expect(res.message).toContain('Tempo: auth rejected (HTTP 401');
    await new Promise((r) => setTimeout(r, 100));
    const everything = `${res.message} ${Buffer.from(res.jsonDetails as Uint8Array).toString()} ${stderr} ${stdout}`;
    expect(everything).not.toContain(TEMPO_TOKEN);
    expect(everything).not.toContain(AGENT_TOKEN);
  });

  it('serves its own Prometheus metrics', async () => {
    const res = await call(clientFor(DiagnosticsService, address), 'CollectMetrics', {});
    const text = Buffer.from((res.metrics as { prometheus: Uint8Array }).prometheus).toString();
    expect(text).toContain('wiretrace_backend_requests_total{endpoint="queryData",query_type="flows",status="200"} 1');
  });

  it('ignores SIGINT and exits cleanly on the Shutdown call', async () => {
    plugin.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    expect(plugin.exitCode).toBeNull();
    const exited = new Promise<number | null>((ok) => plugin.on('exit', (code) => ok(code)));
    await call(clientFor(ControllerService, address), 'Shutdown', {});
    await expect(exited).resolves.toBe(0);
  });
});

function startAndWaitForHandshake(): Promise<ChildProcess> {
  const child = spawn(EXECUTABLE, [], {
    env: { PATH: process.env.PATH, grafana_plugin_type: 'datasource' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((ok, fail) => {
    child.stdout!.once('data', () => ok(child));
    child.on('error', fail);
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => child.on('exit', (code) => ok(code)));
}

describe('the backend executable when Grafana goes away', () => {
  const children: ChildProcess[] = [];
  afterEach(() => children.splice(0).forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

  it('exits cleanly when its stdin closes', async () => {
    const child = await startAndWaitForHandshake();
    children.push(child);
    const exited = exitOf(child);
    child.stdin!.end();
    await expect(exited).resolves.toBe(0);
  });

  it('exits cleanly on SIGTERM', async () => {
    const child = await startAndWaitForHandshake();
    children.push(child);
    const exited = exitOf(child);
    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
  });
});

describe('the backend executable started by hand', () => {
  it('refuses to run without the magic cookie and keeps stdout empty', () => {
    if (!existsSync(EXECUTABLE)) {
      return;
    }
    const run = (() => {
      try {
        execFileSync(EXECUTABLE, [], {
          env: { PATH: process.env.PATH },
          stdio: 'pipe',
          timeout: EXECUTABLE_TIMEOUT_MS,
        });
        return { status: 0, stdout: '', stderr: '' };
      } catch (err) {
        const e = err as { status: number; stdout: Buffer; stderr: Buffer };
        return { status: e.status, stdout: e.stdout.toString(), stderr: e.stderr.toString() };
      }
    })();
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Grafana backend plugin');
  });
});
