import type { NetworkEvent } from '../model/events';
import { newDecodeCounters, type DecodedPacket } from './decode/packet';
import { AgentMetrics, ShedCounters } from './metrics/agentMetrics';
import { PacketPipeline } from './pipeline';
import { PipelineErrors } from './pipelineErrors';
import { TcpConversation } from './testkit/tcpConversation';
import { defaultTrackerOptions } from './track/trackerOptions';

const client = { ip: '10.244.1.2', port: 41000 };
const server = { ip: '10.244.1.3', port: 8080 };

// Plain keep-alive HTTP: no traceparent, as most traffic is.
function plainExchanges(count: number): DecodedPacket[] {
  const c = new TcpConversation(client, server);
  c.handshake(1_000_000);
  for (let i = 0; i < count; i++) {
    const t = 1_001_000 + i * 10_000;
    c.clientSends(t, `GET /item/${i} HTTP/1.1\r\nHost: shop\r\n\r\n`);
    c.serverSends(t + 2000, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  }
  c.close(2_000_000);
  return c.packets;
}

describe('PipelineErrors', () => {
  it('counts every error per stage and logs each kind once, then at most once per interval', () => {
    let now = 0;
    const lines: Array<Record<string, unknown>> = [];
    const errors = new PipelineErrors({ log: (m, f) => lines.push({ m, ...f }), logIntervalMs: 1000, now: () => now });
    for (let i = 0; i < 100; i++) {
      errors.record('sink', new TypeError(`Value is not a valid number: ${i}`));
    }
    errors.record('track', new RangeError('offset out of range'));
    expect(errors.count('sink')).toBe(100);
    expect(errors.count('track')).toBe(1);
    expect(errors.total).toBe(101);
    expect(lines).toHaveLength(2);
    now = 1500;
    errors.record('sink', new TypeError('Value is not a valid number: 7'));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ stage: 'sink', since: 100 });
  });

  it('keeps the number of remembered kinds bounded', () => {
    const lines: string[] = [];
    const errors = new PipelineErrors({ log: (m) => lines.push(m) });
    for (let i = 0; i < 5000; i++) {
      errors.record('decode', new Error(`kind ${String.fromCharCode(65 + (i % 26)).repeat(1 + (i % 300))}`));
    }
    expect(errors.count('decode')).toBe(5000);
    expect(lines.length).toBeLessThanOrEqual(257);
  });
});

describe('PacketPipeline under exceptions', () => {
  it('records plain HTTP exchanges into metrics and keeps going (exemplar histogram without a trace id)', async () => {
    const pipeline = new PacketPipeline(defaultTrackerOptions({}));
    const metrics = new AgentMetrics({
      tracker: pipeline.stats,
      decode: newDecodeCounters(),
      shed: new ShedCounters(),
      pipelineErrors: pipeline.errors,
    });
    const stored: NetworkEvent[] = [];
    pipeline.addSink((e) => metrics.record(e)).addSink((e) => stored.push(e));
    plainExchanges(3).forEach((p) => pipeline.handlePacket(p));
    pipeline.flush();
    expect(stored.filter((e) => e.kind === 'http')).toHaveLength(3);
    expect(pipeline.errors.total).toBe(0);
    expect((await metrics.render(undefined)).body).toContain('wiretrace_http_requests_total{status="200"} 3');
  });

  it('counts a sink that throws, still feeds the other sinks, and exposes the count by stage', async () => {
    const pipeline = new PacketPipeline(defaultTrackerOptions({}));
    const metrics = new AgentMetrics({
      tracker: pipeline.stats,
      decode: newDecodeCounters(),
      shed: new ShedCounters(),
      pipelineErrors: pipeline.errors,
    });
    const stored: NetworkEvent[] = [];
    pipeline
      .addSink((e) => {
        if (e.kind === 'http') {
          throw new TypeError('sink broke');
        }
      })
      .addSink((e) => stored.push(e));
    plainExchanges(3).forEach((p) => pipeline.handlePacket(p));
    pipeline.flush();
    expect(stored.filter((e) => e.kind === 'http')).toHaveLength(3);
    expect(pipeline.errors.count('sink')).toBe(3);
    const body = (await metrics.render(undefined)).body;
    expect(body).toContain('wiretrace_pipeline_errors_total{stage="sink"} 3');
    expect(body).toContain('wiretrace_pipeline_errors_total{stage="track"} 0');
  });

  it('survives a packet the trackers throw on and tracks the packets after it', () => {
    const pipeline = new PacketPipeline(defaultTrackerOptions({}));
    const stored: NetworkEvent[] = [];
    pipeline.addSink((e) => stored.push(e));
    const broken = { ...plainExchanges(1)[0], tcp: undefined, udp: { srcPort: 53, dstPort: 40000 }, payload: null };
    expect(() => pipeline.handlePacket(broken as unknown as DecodedPacket)).not.toThrow();
    expect(pipeline.errors.count('track')).toBe(1);
    plainExchanges(2).forEach((p) => pipeline.handlePacket(p));
    pipeline.flush();
    expect(stored.filter((e) => e.kind === 'http')).toHaveLength(2);
  });
});
