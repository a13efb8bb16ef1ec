// 300 agents behind one DNS name (a headless Service's shape), 10 % of them slow or down, queried through the real
// backend executable under the Go SDK host: every healthy agent's drops come back, the missing agents are named, a
// pod query asks only the agent hosting the pod, and the drops query's latency and the backend's memory are printed.
import { formatDropId } from '../../model/dropId';
import { ensureBackendExecutable } from '../../bench/lib/backendExecutable';
import { frameRows, type DatasourceSettings, type FrameJson } from '../integration/backendQuery';
import { netnsSkipReason } from '../netns/availability';
import { hasCommand } from '../netns/shell';
import type { FleetAgentSpec } from './agentFleet';
import { DROP_EVERY, namespaceOf, nodeName, podName } from './fleetEvents';
import { fleetSpecs, startFleetService, type FleetService } from './fleetScenario';
import { percentile, SdkHost } from './sdkHost';

const AGENTS = 300;
const EVENTS_PER_AGENT = 1000;
// Completeness and routing are checked with room for a busy machine; the timed queries with the bound the latency
// goal (p95 within 2 s) allows. Slow agents answer after both.
const AGENT_TIMEOUT_MS = 5000;
const BENCH_AGENT_TIMEOUT_MS = 2000;
const SLOW_MS = 8000;
const DROPS_LIMIT = 50_000;
// A second octet of our own, so concurrent runs on one machine rarely meet on an address.
const OCTET = 100 + (process.pid % 100);

const skipReason =
  netnsSkipReason(['dnsmasq']) ??
  (['unshare', 'mount', 'go'].find((c) => !hasCommand(c)) ? 'needs unshare, mount and go' : null);
const describeIfRoot = skipReason ? describe.skip : describe;
if (skipReason) {
  console.warn(`agent fleet scale test skipped: ${skipReason}`);
}

function dropsFrame(frames: FrameJson[]): FrameJson {
  const frame = frames.find(
    (f) => f.fields.some((x) => x.name === 'drop_id') && f.fields.some((x) => x.name === 'node')
  );
  if (!frame) {
    throw new Error(`no drops frame among ${frames.map((f) => f.name).join(', ')}`);
  }
  return frame;
}

function noticeTexts(frames: FrameJson[]): string[] {
  return frames.flatMap((f) => ((f.meta?.notices as Array<{ text: string }> | undefined) ?? []).map((n) => n.text));
}

function deltas(
  before: Map<string, Record<string, number>>,
  after: Map<string, Record<string, number>>,
  path: string
): Map<string, number> {
  return new Map([...after].map(([a, c]) => [a, (c[path] ?? 0) - (before.get(a)?.[path] ?? 0)]));
}

describeIfRoot('agent fleet behind one name', () => {
  const endUs = Date.now() * 1000;
  const range = { fromMs: endUs / 1000 - 15 * 60_000, toMs: endUs / 1000 + 60_000 };
  const specs = fleetSpecs(OCTET, AGENTS, EVENTS_PER_AGENT, endUs);
  const missing = new Set(specs.filter((s) => s.health !== 'healthy').map((s) => s.address));
  let service: FleetService;
  let host: SdkHost;
  let settings: DatasourceSettings;
  const fleet = { requestCounts: () => service.fleet.requestCounts() };

  beforeAll(async () => {
    ensureBackendExecutable((m) => console.log(m));
    const started = Date.now();
    service = await startFleetService(specs, OCTET, SLOW_MS);
    host = new SdkHost((command, args) => service.dns.launcher(command, args));
    settings = {
      uid: 'fleet',
      name: 'fleet',
      jsonData: { agentUrls: [service.agentUrl], agentTimeoutMs: AGENT_TIMEOUT_MS },
    };
    console.log(`${AGENTS} agents × ${EVENTS_PER_AGENT} events serving in ${Date.now() - started} ms`);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
  });

  it('returns every healthy agent’s drops and names the agents that did not answer', async () => {
    const before = await fleet.requestCounts();
    const started = Date.now();
    const result = (await host.query(settings, [{ refId: 'A', queryType: 'drops', limit: DROPS_LIMIT }], range)).A;
    const tookMs = Date.now() - started;
    expect(result.error).toBeUndefined();
    const byNode = new Map<string, Set<string>>();
    for (const row of frameRows(dropsFrame(result.frames))) {
      const node = String(row.node);
      byNode.set(node, (byNode.get(node) ?? new Set()).add(String(row.drop_id)));
    }
    for (const spec of specs) {
      const expected = spec.events
        .filter((e) => e.kind === 'drop')
        .map(formatDropId)
        .sort();
      const got = [...(byNode.get(spec.node) ?? [])].sort();
      expect({ node: spec.node, drops: got }).toEqual({
        node: spec.node,
        drops: spec.health === 'healthy' ? expected : [],
      });
    }
    const [notice] = noticeTexts(result.frames).filter((t) => t.includes('capture agents did not answer'));
    expect(notice).toContain(`${missing.size} of ${AGENTS} capture agents did not answer`);
    const named = [...new Set([...notice.matchAll(/http:\/\/([\d.]+):\d+/g)].map((m) => m[1]))];
    // The notice names the first 25 and counts the rest.
    expect(named.length).toBe(Math.min(25, missing.size));
    expect(named.filter((a) => !missing.has(a))).toEqual([]);
    expect(notice).toContain(`and ${missing.size - named.length} more`);
    const events = deltas(before, await fleet.requestCounts(), '/api/v1/events');
    const healthyAsked = specs.filter((s) => s.health === 'healthy').map((s) => events.get(s.address));
    expect(new Set(healthyAsked)).toEqual(new Set([1]));
    console.log(
      `drops over ${AGENTS} agents (${missing.size} slow or down): ${[...byNode.values()].reduce((n, s) => n + s.size, 0)} ` +
        `drops from ${byNode.size} nodes in ${tookMs} ms (a fresh backend: start, DNS, fan-out); notice: ${notice.slice(0, 160)}…`
    );
  }, 120_000);

  it('asks only the agent hosting a queried pod for its events, once it knows where pods live', async () => {
    const target = 7;
    const pod = podName(target, 1);
    const snapshots = [await fleet.requestCounts()];
    // One backend, three rounds: the first learns placement (and which agents do not answer), the last is routed.
    const result = (
      await host.queryInRounds(
        settings,
        [{ refId: 'A', queryType: 'drops', namespace: namespaceOf(target), pod, limit: DROPS_LIMIT }],
        range,
        3,
        async () => void snapshots.push(await fleet.requestCounts())
      )
    ).A;
    expect(result.error).toBeUndefined();
    const after = await fleet.requestCounts();
    const healthy = specs.filter((s) => s.health === 'healthy');
    const learnt = deltas(snapshots[0], after, '/api/v1/pods');
    const events = deltas(snapshots[2], after, '/api/v1/events');
    const pods = deltas(snapshots[2], after, '/api/v1/pods');
    // Every healthy agent was asked where its pods are (round 1, or round 2 when round 1 ran out of time for it).
    expect(healthy.filter((s) => !(learnt.get(s.address)! >= 1)).map((s) => s.node)).toEqual([]);
    expect(healthy.filter((s) => events.get(s.address)! > 0).map((s) => s.node)).toEqual([nodeName(target)]);
    expect(events.get(specs[target].address)).toBe(1);
    expect(healthy.filter((s) => pods.get(s.address)! > 0).map((s) => s.node)).toEqual([]);
    const expected = specs[target].events
      .filter((e) => e.kind === 'drop' && (e.src.pod === pod || e.dst.pod === pod))
      .map(formatDropId)
      .sort();
    const got = frameRows(dropsFrame(result.frames))
      .map((r) => String(r.drop_id))
      .sort();
    expect(got).toEqual(expected);
    const sum = (m: Map<string, number>, specsOf: FleetAgentSpec[]) =>
      specsOf.reduce((n, s) => n + m.get(s.address)!, 0);
    const others = healthy.filter((s) => s.node !== nodeName(target));
    console.log(
      `pod query ${namespaceOf(target)}/${pod}, third round: /api/v1/events requests: ${nodeName(target)} ` +
        `${events.get(specs[target].address)}, the other ${others.length} healthy agents ${sum(events, others)} in all; ` +
        `/api/v1/pods requests over the three rounds: ${sum(learnt, healthy)} to ${healthy.length} healthy agents; ` +
        `${got.length} drops`
    );
  }, 120_000);

  it('prints the drops query latency and the backend memory', async () => {
    const bench = await host.benchDrops(
      { ...settings, jsonData: { ...settings.jsonData, agentTimeoutMs: BENCH_AGENT_TIMEOUT_MS } },
      { queryType: 'drops', limit: DROPS_LIMIT },
      range,
      { warmup: 2, runs: 20, concurrency: 2, rounds: 3 },
      110_000
    );
    const line = (name: string, values: number[]) =>
      `${name}: p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms (n=${values.length})`;
    console.log(
      [
        `drops query, ${AGENTS} agents × ${EVENTS_PER_AGENT} events, ${missing.size} slow or down, agentTimeoutMs ${BENCH_AGENT_TIMEOUT_MS}`,
        line('one at a time', bench.singleMs),
        line(`${bench.concurrency} at once`, bench.concurrentMs),
        `rows ${JSON.stringify(bench.rows)}; backend RSS peak ${bench.peakRssMb.toFixed(0)} MB, after ${bench.rssAfterMb.toFixed(0)} MB`,
      ].join('\n')
    );
    // The goal (p95 within 2 s with every healthy agent's drops) is reported here and by `npm run bench`'s line; on a
    // loaded machine the fleet's one serving process is slower than 270 nodes would be. What the test holds: no query
    // waits on agents beyond the agent timeout plus the backend's own work.
    const healthyDrops = specs.filter((s) => s.health === 'healthy').length * (EVENTS_PER_AGENT / DROP_EVERY);
    const p95 = percentile(bench.singleMs, 95);
    console.log(
      `goal p95 ≤ 2000 ms with all ${healthyDrops} drops: ${p95 <= 2000 && bench.rows.drops === healthyDrops ? 'met' : 'not met'}`
    );
    expect(p95).toBeLessThanOrEqual(BENCH_AGENT_TIMEOUT_MS + 2000);
    expect(bench.rows.drops).toBeGreaterThan(0);
    expect(bench.peakRssMb).toBeGreaterThan(0);
    expect(bench.peakRssMb).toBeLessThanOrEqual(512);
  }, 120_000);
});
