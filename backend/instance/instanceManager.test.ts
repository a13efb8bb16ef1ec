import { WiretraceDatasource } from '../datasource/datasource';
import { HclogLogger } from '../datasource/logger';
import { BackendMetrics } from '../datasource/metrics';
import type { DataQueryRequest } from '../datasource/requests';
import type { QueryContext } from '../datasource/types';
import { parseSettings, type RawInstanceSettings } from '../settings/parseSettings';
import { DatasourceInstance } from './datasourceInstance';
import { InstanceManager } from './instanceManager';

function countingParser(): { parse: typeof parseSettings; parsed: RawInstanceSettings[] } {
  const parsed: RawInstanceSettings[] = [];
  return {
    parsed,
    parse: (raw) => {
      parsed.push(raw);
      return parseSettings(raw);
    },
  };
}

const raw = (over: Partial<RawInstanceSettings> = {}): RawInstanceSettings => ({
  uid: 'wt-1',
  name: 'Wiretrace',
  jsonData: Buffer.from(JSON.stringify({ tempo: { url: 'http://127.0.0.1:3200' }, maxConcurrency: 4 })),
  decryptedSecureJsonData: {},
  lastUpdatedMs: 1_700_000_000_000,
  ...over,
});

describe('InstanceManager', () => {
  it('parses the settings once per instance version and shares its clients', () => {
    const { parse, parsed } = countingParser();
    const manager = new InstanceManager(parse);
    const first = manager.instanceFor(raw()) as DatasourceInstance;
    // Grafana sends the settings with every request, as fresh bytes.
    const again = manager.instanceFor(raw({ jsonData: Buffer.from(raw().jsonData) }));
    expect(parsed).toHaveLength(1);
    expect(again).toBe(first);
    expect(first.upstream('tempo')).toBe(first.upstream('tempo'));
    expect(first.limiter.limit).toBe(4);
  });

  it('builds a new version and disposes the old one when the settings change', () => {
    const { parse, parsed } = countingParser();
    const manager = new InstanceManager(parse);
    const first = manager.instanceFor(raw()) as DatasourceInstance;
    const firstTempo = first.upstream('tempo');
    const saved = manager.instanceFor(raw({ lastUpdatedMs: 1_700_000_060_000 })) as DatasourceInstance;
    const savedTempo = saved.upstream('tempo');
    expect(parsed).toHaveLength(2);
    expect(saved).not.toBe(first);
    // Disposed: it let go of its clients (a request still holding it would build fresh ones).
    expect(first.upstream('tempo')).not.toBe(firstTempo);
    expect(saved.upstream('tempo')).toBe(savedTempo);
    // Changed bytes under the same update time (a host that sends none) are a new version too.
    const edited = manager.instanceFor(
      raw({ lastUpdatedMs: 1_700_000_060_000, jsonData: JSON.stringify({ maxConcurrency: 2 }) })
    ) as DatasourceInstance;
    expect(parsed).toHaveLength(3);
    expect(saved.upstream('tempo')).not.toBe(savedTempo);
    expect(edited.limiter.limit).toBe(2);
    // A new secret is a new version as well.
    manager.instanceFor(
      raw({ lastUpdatedMs: 1_700_000_060_000, jsonData: '{"maxConcurrency":2}', decryptedSecureJsonData: { agentToken: 't' } })
    );
    expect(parsed).toHaveLength(4);
  });

  it('keeps one instance per datasource and remembers invalid settings per version', () => {
    const { parse, parsed } = countingParser();
    const manager = new InstanceManager(parse);
    const a = manager.instanceFor(raw());
    const b = manager.instanceFor(raw({ uid: 'wt-2' }));
    expect(b).not.toBe(a);
    expect(manager.instanceFor(raw())).toBe(a);
    expect(manager.instanceFor(raw({ uid: 'wt-2' }))).toBe(b);
    const broken = raw({ uid: 'wt-3', jsonData: '{"tempo":{"url":"ftp://x"}}' });
    const error = manager.instanceFor(broken);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('jsonData.tempo.url must use http or https');
    expect(manager.instanceFor(broken)).toBe(error);
    expect(parsed).toHaveLength(3);
  });
});

describe('WiretraceDatasource', () => {
  it('parses the settings once for every request of one instance version, and hands handlers its instance', async () => {
    const { parse, parsed } = countingParser();
    const seen: QueryContext[] = [];
    const datasource = new WiretraceDatasource(
      { flows: async (ctx) => (seen.push(ctx), []) },
      new BackendMetrics(),
      new HclogLogger({ write: () => undefined }, 'error'),
      new InstanceManager(parse)
    );
    const query: DataQueryRequest = {
      refId: 'A',
      queryType: 'flows',
      maxDataPoints: 100,
      intervalMs: 1000,
      timeRange: { fromMs: 1000, toMs: 2000 },
      json: '{"queryType":"flows"}',
    };
    const signal = new AbortController().signal;
    for (let i = 0; i < 3; i++) {
      const answers = await datasource.queryData([query, { ...query, refId: 'B' }], raw(), signal);
      expect(answers.A.status).toBe(200);
    }
    await datasource.callResource(raw(), { path: 'nope', method: 'GET', url: 'nope', headers: {}, body: new Uint8Array() }, signal);
    expect(parsed).toHaveLength(1);
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((ctx) => ctx.instance)).size).toBe(1);

    await datasource.queryData([query], raw({ lastUpdatedMs: 1_700_000_120_000 }), signal);
    expect(parsed).toHaveLength(2);
    expect(seen[6].instance).not.toBe(seen[0].instance);
    expect(seen[6].instance.settings).not.toBe(seen[0].instance.settings);
  });
});
