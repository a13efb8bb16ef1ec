// The Loki and OTLP sinks as the assembly builds them from the agent config, on the pipeline.
import { Registry } from 'prom-client';
import { ConfigError, parseAgentConfig } from '../config';
import { lokiOptionsFromConfig } from '../export/exportConfig';
import { ExportMetrics } from '../export/exportMetrics';
import { ShedCounters } from '../metrics/agentMetrics';
import { PacketPipeline } from '../pipeline';
import { defaultTrackerOptions } from '../track/trackerOptions';
import { exportersFrom } from './exporters';
import { numberedEvent } from '../testkit/testEvents';
import { TestReceiver, waitFor } from '../testkit/testReceiver';

describe('exporters wired into the pipeline from the agent config', () => {
  const loki = new TestReceiver();
  const otlp = new TestReceiver();
  beforeAll(async () => {
    await loki.start();
    await otlp.start();
  });
  afterAll(async () => {
    await loki.stop();
    await otlp.stop();
  });

  it('sends pipeline events to Loki and traced drops to OTLP, with their metrics on the agent registry', async () => {
    const config = parseAgentConfig({
      node: 'node-a',
      export: {
        loki: { url: loki.url, tenant: 'team-a', batchWaitMs: 5, kinds: ['drop'] },
        otlp: { url: otlp.url, batchWaitMs: 5 },
      },
    });
    const pipeline = new PacketPipeline(defaultTrackerOptions({ node: 'node-a' }));
    const registry = new Registry();
    const exporters = exportersFrom(config, {
      metrics: new ExportMetrics([registry]),
      shed: new ShedCounters(),
      log: () => undefined,
    });
    expect(exporters.map((e) => e.name)).toEqual(['loki', 'otlp']);
    exporters.forEach((e) => pipeline.addSink(e.sink));
    pipeline.handleEvent(numberedEvent(0));
    pipeline.handleEvent(numberedEvent(1));
    await waitFor(() => loki.accepted().length === 1 && otlp.accepted().length === 1);
    await Promise.all(exporters.map((e) => e.close()));

    const body = JSON.parse(loki.requests[0].body.toString('utf8')) as {
      streams: Array<{ stream: Record<string, string> }>;
    };
    expect(body.streams.map((s) => s.stream.kind)).toEqual(['drop']);
    expect(loki.requests[0].headers['x-scope-orgid']).toBe('team-a');
    const metrics = await registry.metrics();
    expect(metrics).toContain('wiretrace_export_sent_total{exporter="loki"} 1');
    expect(metrics).toContain('wiretrace_export_sent_total{exporter="otlp"} 1');
  });

  it('names the key of a bad Loki setting', () => {
    expect(() => lokiOptionsFromConfig({ tenant: 'x' })).toThrow(
      new ConfigError('config: export.loki.url is required')
    );
    expect(() => lokiOptionsFromConfig({ url: 'http://l', kinds: ['drops'] })).toThrow(
      'export.loki.kinds has unknown kinds drops'
    );
    expect(() => lokiOptionsFromConfig({ url: 'http://l', batchSize: 0 })).toThrow(
      'export.loki.batchSize must be an integer from 1 to 100000'
    );
    expect(() => lokiOptionsFromConfig({ url: 'http://l', basicAuth: { username: 'u' } })).toThrow(
      'export.loki.basicAuth needs username and password'
    );
  });
});
