import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { NetworkEvent } from '../../model/events';
import { ExportMetrics } from './exportMetrics';
import { LokiExporter, type LokiExporterOptions } from './lokiExporter';
import { numberedEvent } from '../testkit/testEvents';
import { TestReceiver, waitFor } from '../testkit/testReceiver';

interface PushBody {
  streams: Array<{ stream: Record<string, string>; values: Array<[string, string, Record<string, string>]> }>;
}

// Every line the receiver accepted, per stream, in arrival order.
function acceptedByStream(receiver: TestReceiver): Map<string, NetworkEvent[]> {
  const byStream = new Map<string, NetworkEvent[]>();
  for (const request of receiver.accepted()) {
    const body = JSON.parse(request.body.toString('utf8')) as PushBody;
    for (const s of body.streams) {
      const key = JSON.stringify(s.stream);
      const list = byStream.get(key) ?? [];
      list.push(...s.values.map((v) => JSON.parse(v[1]) as NetworkEvent));
      byStream.set(key, list);
    }
  }
  return byStream;
}

function acceptedPorts(receiver: TestReceiver): number[] {
  return [...acceptedByStream(receiver).values()].flat().map((e) => e.src.port as number);
}

const FAST: Partial<LokiExporterOptions> = { batchSize: 25, batchWaitMs: 5, backoff: { initialMs: 10, maxMs: 60 } };

describe('LokiExporter against a loopback receiver', () => {
  const receiver = new TestReceiver();
  let dirs: string[] = [];
  beforeEach(async () => {
    receiver.requests.length = 0;
    receiver.answer = () => ({ status: 204 });
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    dirs = [];
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wiretrace-loki-buffer-'));
    dirs.push(dir);
    return dir;
  };

  it('loses nothing through an outage (5xx, connection refused, 429): every event once, in order per stream', async () => {
    const registry = new Registry();
    const exporter = new LokiExporter({
      ...FAST,
      url: `${receiver.url}/`,
      tenant: 'team-a',
      basicAuth: { username: 'agent', password: 'pw' },
      metrics: new ExportMetrics([registry]),
    });
    receiver.answer = (_, i) =>
      i < 3 ? { status: 503, body: 'ingester unavailable' } : i === 3 ? { status: 429 } : { status: 204 };
    const events = Array.from({ length: 300 }, (_, i) => numberedEvent(i));
    events.slice(0, 100).forEach((e) => expect(exporter.export(e)).toBe(true));
    await waitFor(() => receiver.requests.length >= 2);
    // Loki goes away entirely for a while, then comes back.
    await receiver.stop();
    events.slice(100, 200).forEach((e) => exporter.export(e));
    await new Promise((r) => setTimeout(r, 150));
    await receiver.start();
    events.slice(200).forEach((e) => exporter.export(e));
    await waitFor(() => exporter.counters.sent === 300);

    const ports = acceptedPorts(receiver);
    expect(ports.sort((a, b) => a - b)).toEqual(events.map((e) => e.src.port));
    for (const [stream, streamEvents] of acceptedByStream(receiver)) {
      const times = streamEvents.map((e) => e.time);
      expect({ stream, times }).toEqual({ stream, times: [...times].sort((a, b) => a - b) });
    }
    const first = receiver.requests[0];
    expect(first.path).toBe('/loki/api/v1/push');
    expect(first.headers['x-scope-orgid']).toBe('team-a');
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from('agent:pw').toString('base64')}`);
    expect(first.headers['content-type']).toBe('application/json');
    expect(exporter.counters.retried).toBeGreaterThanOrEqual(5);
    expect(exporter.counters.shed).toEqual({ buffer_full: 0, rejected: 0, closed: 0 });
    const metrics = await registry.metrics();
    expect(metrics).toContain('wiretrace_export_sent_total{exporter="loki"} 300');
    expect(metrics).toMatch(/wiretrace_export_retries_total\{exporter="loki"\} ([5-9]|\d\d)/);
    expect(metrics).toContain('wiretrace_export_buffer_bytes{exporter="loki"} 0');
    await exporter.close();
  });

  it('sheds beyond the buffer bound, counts it, and delivers exactly what it kept', async () => {
    const registry = new Registry();
    receiver.answer = () => ({ status: 503 });
    const one = JSON.stringify(numberedEvent(0)).length + 100;
    const exporter = new LokiExporter({
      ...FAST,
      url: receiver.url,
      bufferBytes: one * 40,
      metrics: new ExportMetrics([registry]),
    });
    const accepted = Array.from({ length: 100 }, (_, i) => numberedEvent(i)).filter((e) => exporter.export(e));
    expect(accepted.length).toBeGreaterThan(20);
    expect(accepted.length).toBeLessThan(100);
    expect(exporter.counters.shed.buffer_full).toBe(100 - accepted.length);
    expect(await registry.metrics()).toContain(
      `wiretrace_export_shed_total{exporter="loki",reason="buffer_full"} ${100 - accepted.length}`
    );

    receiver.answer = () => ({ status: 204 });
    await waitFor(() => exporter.counters.sent === accepted.length);
    expect(acceptedPorts(receiver).sort((a, b) => a - b)).toEqual(accepted.map((e) => e.src.port));
    await exporter.close();
  });

  it('does not retry a 400: the batch is dropped and counted as rejected', async () => {
    receiver.answer = () => ({ status: 400, body: 'entry too far behind' });
    const logs: string[] = [];
    const exporter = new LokiExporter({ ...FAST, url: receiver.url, batchSize: 10, log: (m) => logs.push(m) });
    Array.from({ length: 10 }, (_, i) => numberedEvent(i)).forEach((e) => exporter.export(e));
    await waitFor(() => exporter.counters.shed.rejected === 10);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.requests).toHaveLength(1);
    expect(exporter.counters.retried).toBe(0);
    expect(logs.join('\n')).toContain('HTTP 400: entry too far behind');
    await exporter.close();
  });

  it('sends a bearer token read from a file and never logs it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 's3cret-token\n');
    receiver.answer = (_, i) => (i === 0 ? { status: 500, body: 'boom' } : { status: 204 });
    const logs: string[] = [];
    const exporter = new LokiExporter({
      ...FAST,
      url: receiver.url,
      tokenFile: join(dir, 'token'),
      log: (m) => logs.push(m),
    });
    exporter.export(numberedEvent(0));
    await waitFor(() => exporter.counters.sent === 1);
    expect(receiver.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer s3cret-token',
      'Bearer s3cret-token',
    ]);
    expect(logs.join('\n')).not.toContain('s3cret');
    await exporter.close();
  });

  it('keeps undelivered events on disk across a restart and sends each exactly once afterwards', async () => {
    const dir = tempDir();
    receiver.answer = (_, i) => (i < 2 ? { status: 204 } : { status: 503 });
    const first = new LokiExporter({ ...FAST, url: receiver.url, bufferDir: dir, batchSize: 10 });
    const events = Array.from({ length: 60 }, (_, i) => numberedEvent(i));
    events.slice(0, 20).forEach((e) => first.export(e));
    await waitFor(() => first.counters.sent === 20);
    events.slice(20).forEach((e) => first.export(e));
    await waitFor(() => first.counters.retried >= 2);
    // The agent stops while Loki is still failing: 40 events wait on disk.
    await first.close(50);
    expect(first.counters.sent).toBe(20);
    expect(first.counters.shed.closed).toBe(0);

    receiver.answer = () => ({ status: 204 });
    const second = new LokiExporter({ ...FAST, url: receiver.url, bufferDir: dir, batchSize: 10 });
    await waitFor(() => second.counters.sent === 40);
    await second.close();
    expect(acceptedPorts(receiver).sort((a, b) => a - b)).toEqual(events.map((e) => e.src.port));
    expect(readdirSync(dir).filter((f) => f.startsWith('segment-'))).toEqual([]);

    const third = new LokiExporter({ ...FAST, url: receiver.url, bufferDir: dir });
    await new Promise((r) => setTimeout(r, 50));
    expect(third.counters.sent).toBe(0);
    await third.close();
  });

  it('rejects an invalid URL with a message naming it', () => {
    expect(() => new LokiExporter({ url: 'not a url' })).toThrow('loki: url "not a url" is not a valid URL');
  });
});
