import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { startLoopbackUpstream, type LoopbackUpstream } from '../testkit/loopbackUpstream';
import { UpstreamClient } from './http';
import { LokiClient } from './loki';
import { mergeEvents, parseEventLines } from './lokiEvents';
import { logPod } from './lokiLogLine';
import { extendSelector, selector, traceLogQueries } from './lokiLogQL';
import { parseLokiStreams } from './lokiStreams';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'queries', 'testdata', name), 'utf8');
const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('parseLokiStreams', () => {
  it('keeps stream labels, structured metadata and parsed labels apart and finds trace ids', () => {
    const { lines, skipped } = parseLokiStreams(JSON.parse(fixture('loki-query-range.json')));
    expect(skipped).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ timeNs: '1763719203013000000', timeUs: 1763719203013000, traceId: TRACE });
    expect(lines[0].structuredMetadata).toEqual({ detected_level: 'error' });
    expect(lines[1].traceId).toBe(TRACE);
    expect(lines[2].traceId).toBe(TRACE);
    expect(lines[3].traceId).toBeUndefined();
    expect(logPod(lines[3])).toEqual({ namespace: 'shop', pod: 'cart-0' });
  });

  it('returns nothing for answers that are not streams', () => {
    expect(parseLokiStreams({ data: { resultType: 'matrix', result: [] } })).toEqual({ lines: [], skipped: 0 });
    expect(parseLokiStreams('garbage')).toEqual({ lines: [], skipped: 0 });
  });
});

describe('LogQL', () => {
  it('escapes values and extends configured selectors', () => {
    expect(selector([{ name: 'pod', op: '=', value: 'a"b' }])).toBe('{pod="a\\"b"}');
    expect(extendSelector('{service_name="wiretrace-agent"}', [{ name: 'kind', op: '=', value: 'drop' }])).toBe(
      '{service_name="wiretrace-agent", kind="drop"}'
    );
    expect(() => extendSelector('service_name=x', [])).toThrow('stream selector must look like');
    expect(() => selector([{ name: 'bad-name', op: '=', value: 'x' }])).toThrow('invalid Loki label name');
    expect(traceLogQueries('{namespace="shop"}', TRACE)).toEqual([
      `{namespace="shop"} | trace_id="${TRACE}"`,
      `{namespace="shop"} |= "${TRACE}"`,
    ]);
  });
});

describe('LokiClient.queryRange', () => {
  let upstream: LoopbackUpstream;
  afterEach(() => upstream?.close());

  // Serves `total` entries, 1 ms apart with two sharing each page edge, honouring start/limit/forward.
  async function pagedLoki(total: number): Promise<LoopbackUpstream> {
    const base = 1_700_000_000_000_000_000n;
    const entries = Array.from({ length: total }, (_, i) => [
      (base + BigInt(Math.floor(i / 2)) * 1_000_000n).toString(),
      `line ${i}`,
    ]);
    return startLoopbackUpstream((path, query) => {
      const start = BigInt(query.get('start') ?? '0');
      const limit = Number(query.get('limit'));
      const values = entries.filter(([ts]) => BigInt(ts) >= start).slice(0, limit);
      return {
        body: JSON.stringify({
          status: 'success',
          data: { resultType: 'streams', result: [{ stream: { app: 'x' }, values }] },
        }),
      };
    });
  }

  it('pages forward by time without losing or repeating entries that share a nanosecond', async () => {
    upstream = await pagedLoki(25);
    const loki = new LokiClient(new UpstreamClient({ name: 'Loki', baseUrl: upstream.url }));
    const range = { fromMs: 1_700_000_000_000, toMs: 1_700_000_001_000 };
    const result = await loki.queryRange({ logQL: '{app="x"}', range, limit: 100, pageSize: 5 });
    expect(result.lines.map((l) => l.line)).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i}`));
    expect(result.truncated).toBe(false);
    expect(upstream.requests[0].headers['x-loki-response-encoding-flags']).toBe('categorize-labels');
    expect(upstream.requests[0].query.get('direction')).toBe('forward');
  });

  it('stops at the page bound and says the answer is truncated', async () => {
    upstream = await pagedLoki(25);
    const loki = new LokiClient(new UpstreamClient({ name: 'Loki', baseUrl: upstream.url }));
    const range = { fromMs: 1_700_000_000_000, toMs: 1_700_000_001_000 };
    const result = await loki.queryRange({ logQL: '{app="x"}', range, limit: 100, pageSize: 5, maxPages: 2 });
    expect(result.pages).toBe(2);
    expect(result.truncated).toBe(true);
    expect(result.lines.length).toBeLessThan(25);
  });
});

describe('durable events', () => {
  const event = (time: number, port = 8443): NetworkEvent => ({
    kind: 'drop',
    time,
    transport: 'tcp',
    src: { ip: '10.1.0.5', port: 40000 },
    dst: { ip: '10.1.0.9', port },
    source: 'pcap',
  });

  it('parses NetworkEvent lines and counts the rest', () => {
    const lines = [JSON.stringify(event(1)), '{"kind":"drop"}', 'not json'].map((line) => ({
      timeNs: '1',
      timeUs: 0,
      line,
      labels: {},
      structuredMetadata: {},
      parsed: {},
    }));
    const parsed = parseEventLines(lines);
    expect(parsed.events).toEqual([event(1)]);
    expect(parsed.malformed).toBe(2);
  });

  it('merges agent and Loki events without duplicates, in time order', () => {
    expect(
      mergeEvents([event(3), event(1)], [event(1), event(2), event(1, 80)]).map((e) => [e.time, e.dst.port])
    ).toEqual([
      [1, 8443],
      [1, 80],
      [2, 8443],
      [3, 8443],
    ]);
  });
});
