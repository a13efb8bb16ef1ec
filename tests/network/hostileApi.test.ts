// Hostile clients of the agent API (`run` capturing lo in its own namespace): absurd parameters, prototype names as
// routes, oversized URLs, headers and bodies, garbage bytes, slow and idle connections past the connection cap.
// Each is answered with a 4xx or cut off by a timeout, the agent stays healthy, and its memory stays bounded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { netnsSkipReason } from '../netns/availability';
import { NODE_JS } from '../netns/miniCluster';
import { agentBuilt } from './agentProcess';
import { LoopbackNamespace } from './loopbackNamespace';

const skipReason = netnsSkipReason(['tcpdump']) ?? (agentBuilt() ? null : 'build the agent first');
const describeNetwork = skipReason ? describe.skip : describe;

const API_PORT = 9476;
const PROBES = join(__dirname, 'scripts/apiProbes.mjs');

interface Answer {
  status: number;
  body: string;
  bodyLength: number;
}

function residentKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

describeNetwork('hostile input: the agent API', () => {
  let lo: LoopbackNamespace;
  let results: Record<string, unknown>;
  let rss: { before: number; after: number };
  let agent: Awaited<ReturnType<LoopbackNamespace['startAgent']>>;

  beforeAll(async () => {
    lo = LoopbackNamespace.create('hostile');
    agent = await lo.startAgent(API_PORT, ['capture: { interfaces: [lo], filter: "udp port 9" }']);
    const before = residentKiB(agent.pid!);
    results = JSON.parse(await lo.run(NODE_JS, [PROBES, String(API_PORT)], 180_000)) as Record<string, unknown>;
    rss = { before, after: residentKiB(agent.pid!) };
  });

  afterAll(async () => {
    await lo?.destroy(process.env.WIRETRACE_KEEP_NETNS_FILES === '1');
  });

  it.each([
    ['hugeLimit', 400, 'limit'],
    ['badTraceId', 400, 'traceId'],
    ['protoKind', 400, 'kind'],
    ['invertedRange', 400, 'from'],
    ['hugeNanoseconds', 400, 'from'],
    ['longValue', 400, 'pod'],
    ['manyParams', 400, 'query'],
    ['constructorRoute', 404, 'no route'],
    ['protoRoute', 404, 'no route'],
    ['traversal', 404, 'no route'],
    ['doubleSlash', 404, 'no route'],
    ['encodedSlashes', 404, 'no route'],
    ['postBody', 405, 'not allowed'],
  ])('%s is answered %i naming %s', (name, status, named) => {
    const answer = results[name] as Answer;
    expect({ name, status: answer.status }).toEqual({ name, status });
    expect(answer.body).toContain(named);
    expect(answer.bodyLength).toBeLessThan(1000);
  });

  it('refuses oversized request lines and headers with 431', () => {
    expect((results.hugeUrl as Answer).status).toBe(431);
    expect((results.hugeHeader as Answer).status).toBe(431);
  });

  it('answers garbage bytes with 400 and closes', () => {
    expect(results.garbage).toMatchObject({ data: expect.stringMatching(/^HTTP\/1\.1 400/) });
  });

  it('cuts off slow and idle clients and caps the connections they hold', () => {
    const slow = results.slowloris as Record<string, number | boolean>;
    expect(slow.allClosed).toBe(true);
    // Past the cap (256) connections are closed unanswered at once; the rest by the 10 s header timeout.
    expect(slow.refusedUnanswered).toBeGreaterThanOrEqual(300 - 256 - 1);
    expect(slow.answered408).toBeGreaterThan(0);
    expect((results.idleKeepAlive as { closedAfterMs: number | null }).closedAfterMs).not.toBeNull();
  });

  it('stays healthy, answers parallel queries and keeps its memory bounded', () => {
    expect((results.healthAfter as Answer).status).toBe(200);
    expect(results.parallelQueries).toEqual(Array(50).fill(200));
    expect(agent.exitCode).toBeNull();
    expect(rss.after - rss.before).toBeLessThan(256 * 1024);
  });
});
