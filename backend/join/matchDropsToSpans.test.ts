import fc from 'fast-check';
import type { NetworkEvent } from '../../model/events';
import { spanBatchOf } from '../clients/spanBatch';
import type { Span } from '../clients/tempoSpan';
import { spanDestination } from './destination';
import { matchDropsToSpans, type DropSpanMatch } from './matchDropsToSpans';
import { visitEndpointPodIdentities, visitResourcePodIdentity, type PodIdentityVisitor } from './podIdentity';
import { eventEnd } from './podOverlap';
import { scoreDropSpan, spanFailureKind } from './scoreDropSpan';
import { buildDrop, buildSpan } from '../testkit/joinBuilders';

const frontend = { ip: '10.1.0.5', pod: 'frontend-1', namespace: 'shop' };
const payments = { ip: '10.1.0.9', port: 8443, pod: 'payments-7d9', namespace: 'shop', service: 'payments' };

describe('matchDropsToSpans', () => {
  it('explains a policy drop with the timed-out CLIENT span of the same pod', () => {
    const drop = buildDrop(1_000_000, frontend, payments, { endTime: 4_000_000 });
    const span = buildSpan({
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 990_000,
      endUs: 4_000_000,
      status: { code: 'error', message: 'connect ETIMEDOUT 10.1.0.9:8443' },
      attributes: {
        'url.full': 'https://payments.shop:8443/charge',
        'server.address': 'payments.shop',
        'server.port': 8443,
      },
    });
    const [match, ...rest] = matchDropsToSpans([drop], spanBatchOf([span]), { slackUs: 500_000 });
    expect(rest).toHaveLength(0);
    expect(match.confidence).toBeGreaterThan(0.9);
    expect(match.why).toBe(
      "same pod shop/frontend-1, destination payments.shop:8443 matches drop dst, span errored 'connect ETIMEDOUT 10.1.0.9:8443' 3.0s after first SYN"
    );
  });

  it('accepts every cluster DNS form of the destination service', () => {
    const drop = buildDrop(1_000_000, frontend, payments);
    const hosts = ['payments', 'payments.shop', 'payments.shop.svc', 'payments.shop.svc.cluster.local', '10.1.0.9'];
    const spans = hosts.map((host, i) =>
      buildSpan({
        spanId: `${i + 1}`.padStart(16, '0'),
        pod: 'frontend-1',
        namespace: 'shop',
        startUs: 900_000,
        endUs: 1_100_000,
        attributes: { 'server.address': host },
      })
    );
    const matches = matchDropsToSpans([drop], spanBatchOf(spans), { slackUs: 0 });
    expect(matches.map((m) => m.evidence.destination)).toEqual(hosts.map(() => 'host'));
  });

  it('ranks the span to the dropped destination above a concurrent span to another service', () => {
    const drop = buildDrop(1_000_000, frontend, payments);
    const toPayments = buildSpan({
      spanId: 'a'.repeat(16),
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 900_000,
      endUs: 2_000_000,
      status: { code: 'error', message: 'ETIMEDOUT' },
      attributes: { 'peer.service': 'payments' },
    });
    const toCart = buildSpan({
      spanId: 'b'.repeat(16),
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 950_000,
      endUs: 1_200_000,
      status: { code: 'ok' },
      attributes: { 'server.address': 'cart.shop' },
    });
    const matches = matchDropsToSpans([drop], spanBatchOf([toCart, toPayments]), { slackUs: 0 });
    expect(matches.map((m) => m.spanIndex)).toEqual([1, 0]);
    expect(matches[1].why).toContain('span destination cart.shop differs from drop dst');
    expect(matches[1].confidence).toBeLessThan(0.3);
  });

  it('matches retries many-to-many and ignores other pods, SERVER spans and non-overlapping windows', () => {
    const drops = [buildDrop(1_000_000, frontend, payments), buildDrop(2_000_000, frontend, payments)];
    const spans = [
      buildSpan({
        spanId: '1'.padStart(16, '0'),
        pod: 'frontend-1',
        namespace: 'shop',
        startUs: 900_000,
        endUs: 2_100_000,
      }),
      buildSpan({
        spanId: '2'.padStart(16, '0'),
        pod: 'frontend-1',
        namespace: 'shop',
        startUs: 1_900_000,
        endUs: 2_500_000,
      }),
      buildSpan({
        spanId: '3'.padStart(16, '0'),
        pod: 'frontend-2',
        namespace: 'shop',
        startUs: 900_000,
        endUs: 2_100_000,
      }),
      buildSpan({
        spanId: '4'.padStart(16, '0'),
        pod: 'frontend-1',
        namespace: 'shop',
        kind: 'server',
        startUs: 900_000,
        endUs: 2_100_000,
      }),
      buildSpan({
        spanId: '5'.padStart(16, '0'),
        pod: 'frontend-1',
        namespace: 'shop',
        startUs: 3_000_000,
        endUs: 3_100_000,
      }),
    ];
    const pairs = matchDropsToSpans(drops, spanBatchOf(spans), { slackUs: 100_000 }).map((m) => [
      m.eventIndex,
      m.spanIndex,
    ]);
    expect(pairs).toEqual([
      [0, 0],
      [1, 1],
      [1, 0],
    ]);
  });

  it('finds spans that only know their pod IP', () => {
    const drop = buildDrop(1_000_000, frontend, payments);
    const span = buildSpan({ podIp: '10.1.0.5', startUs: 999_000, endUs: 1_001_000 });
    expect(matchDropsToSpans([drop], spanBatchOf([span]), { slackUs: 0 })).toHaveLength(1);
  });

  it('agrees with a brute-force nested loop on random inputs', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryDrop, { maxLength: 25 }),
        fc.array(arbitrarySpan, { maxLength: 40 }),
        coarse(6),
        (drops, spans, slackUs) => {
          const fast = matchDropsToSpans(drops, spanBatchOf(spans), { slackUs });
          expect(fast).toEqual(bruteForce(drops, spans, slackUs));
        }
      ),
      { numRuns: 300 }
    );
  });
});

function bruteForce(events: NetworkEvent[], spans: Span[], slackUs: number): DropSpanMatch[] {
  const out: DropSpanMatch[] = [];
  events.forEach((event, eventIndex) => {
    if (event.kind !== 'drop' && event.kind !== 'reset') {
      return;
    }
    const keys = podKeys((visit) => visitEndpointPodIdentities(event.src, visit));
    spans.forEach((span, spanIndex) => {
      const [key] = podKeys((visit) => visitResourcePodIdentity(span.resource, visit));
      const overlaps = span.startUs - slackUs <= eventEnd(event) && span.endUs + slackUs >= event.time;
      if (span.kind === 'client' && key !== undefined && keys.includes(key) && overlaps) {
        const facts = { destination: spanDestination(span), failureKind: spanFailureKind(span.status) };
        out.push({ eventIndex, spanIndex, ...scoreDropSpan(event, span, facts) });
      }
    });
  });
  return out.sort(
    (a, b) =>
      events[a.eventIndex].time - events[b.eventIndex].time ||
      a.eventIndex - b.eventIndex ||
      b.confidence - a.confidence ||
      spans[a.spanIndex].startUs - spans[b.spanIndex].startUs ||
      a.spanIndex - b.spanIndex
  );
}

// The pod identities a visitor reports, as plain keys the brute force compares.
function podKeys(visitAll: (visit: PodIdentityVisitor) => void): string[] {
  const keys: string[] = [];
  visitAll((form, name, namespace) => keys.push(`${form}:${namespace ?? ''}/${name}`));
  return keys;
}

// Times on a 50 µs grid, so equal starts and touching ends happen often.
const coarse = (max: number) => fc.nat(max).map((n) => n * 50);

const pods = ['a-1', 'a-2', 'b-1'];
const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
const services = ['api', 'db', 'cache'];

const arbitraryEndpoint = fc.record({
  ip: fc.constantFrom(...ips),
  port: fc.option(fc.constantFrom(80, 443, 8443), { nil: undefined }),
  pod: fc.option(fc.constantFrom(...pods), { nil: undefined }),
  namespace: fc.option(fc.constantFrom('shop', 'ops'), { nil: undefined }),
  service: fc.option(fc.constantFrom(...services), { nil: undefined }),
});

const arbitraryDrop: fc.Arbitrary<NetworkEvent> = fc
  .tuple(
    coarse(40),
    coarse(10),
    arbitraryEndpoint,
    arbitraryEndpoint,
    fc.constantFrom<NetworkEvent['kind']>('drop', 'reset', 'flow')
  )
  .map(([time, length, src, dst, kind]) =>
    buildDrop(time, src, dst, { kind, endTime: length > 400 ? undefined : time + length })
  );

const arbitrarySpan: fc.Arbitrary<Span> = fc
  .tuple(
    coarse(40),
    coarse(16),
    fc.option(fc.constantFrom(...pods), { nil: undefined }),
    fc.option(fc.constantFrom('shop', 'ops'), { nil: undefined }),
    fc.option(fc.constantFrom(...ips), { nil: undefined }),
    fc.constantFrom<Span['kind']>('client', 'client', 'server'),
    fc.constantFrom<Span['status']>(
      { code: 'error', message: 'ETIMEDOUT' },
      { code: 'error', message: 'ECONNRESET' },
      { code: 'ok' },
      { code: 'unset' }
    ),
    fc.option(fc.constantFrom('api', 'db.shop', 'cache.ops.svc.cluster.local', '10.0.0.2'), { nil: undefined }),
    fc.nat(1_000_000).map((n) => n.toString(16).padStart(16, '0'))
  )
  .map(([start, length, pod, namespace, podIp, kind, status, host, spanId]) =>
    buildSpan({
      spanId,
      pod,
      namespace,
      podIp,
      kind,
      status,
      startUs: start,
      endUs: start + length,
      attributes: host ? { 'server.address': host } : {},
    })
  );

describe('destination agreement through a Service address', () => {
  it('treats a ClusterIP the network saw rewritten to the pod IP as no contradiction', () => {
    const drop = buildDrop(1_000_000, frontend, payments);
    const viaClusterIp = buildSpan({
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 900_000,
      endUs: 1_100_000,
      attributes: { 'network.peer.address': '10.96.14.2', 'server.port': 8443 },
    });
    const otherPort = buildSpan({
      ...viaClusterIp,
      spanId: '1'.padStart(16, '0'),
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 900_000,
      endUs: 1_100_000,
      attributes: { 'network.peer.address': '10.96.14.3', 'server.port': 5432 },
    });
    const [first, second] = matchDropsToSpans([drop], spanBatchOf([viaClusterIp, otherPort]), { slackUs: 0 });
    expect(first.evidence.destination).toBe('port');
    expect(second.evidence.destination).toBe('mismatch');
  });
});
