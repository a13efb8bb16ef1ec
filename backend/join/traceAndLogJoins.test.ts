import type { NetworkEvent } from '../../model/events';
import type { LogLine } from '../clients/lokiLogLine';
import { joinByTraceId } from './joinByTraceId';
import { logsAroundEvents } from './logsAroundEvents';
import { networkEventsBySpan } from './networkEventsBySpan';
import { buildDrop, buildSpan } from '../testkit/joinBuilders';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const client = { ip: '10.1.0.5', pod: 'frontend-1', namespace: 'shop' };
const server = { ip: '10.1.0.9', port: 8443, pod: 'payments-1', namespace: 'shop', service: 'payments' };

const log = (timeUs: number, labels: Record<string, string>, traceId?: string): LogLine => ({
  timeNs: `${timeUs}000`,
  timeUs,
  line: 'x',
  labels,
  structuredMetadata: {},
  parsed: {},
  traceId,
});

describe('joinByTraceId', () => {
  it('groups events, spans and logs by normalised trace id and ignores invalid ids', () => {
    const http: NetworkEvent = { ...buildDrop(1, client, server), kind: 'http', traceId: TRACE.toUpperCase() };
    const stripped: NetworkEvent = { ...buildDrop(2, client, server), kind: 'http', traceId: '00ab' };
    const joined = joinByTraceId(
      [http, stripped, { ...http, traceId: 'zz' }],
      [buildSpan({ traceId: TRACE, startUs: 0, endUs: 1 })],
      [log(5, {}, TRACE)]
    );
    expect([...joined.keys()]).toEqual([TRACE, '000000000000000000000000000000ab']);
    expect(joined.get(TRACE)).toMatchObject({ events: [http], logs: [{ timeUs: 5 }] });
    expect(joined.get(TRACE)!.spans).toHaveLength(1);
  });
});

describe('logsAroundEvents', () => {
  it("finds the same pod's logs within the window, under either label convention", () => {
    const drop = buildDrop(10_000_000, client, server, { endTime: 12_000_000 });
    const logs = [
      log(4_000_000, { namespace: 'shop', pod: 'frontend-1' }),
      log(5_000_000, { namespace: 'shop', pod: 'frontend-1' }),
      log(16_000_000, { k8s_namespace_name: 'shop', k8s_pod_name: 'frontend-1' }),
      log(17_000_001, { namespace: 'shop', pod: 'frontend-1' }),
      log(11_000_000, { namespace: 'other', pod: 'frontend-1' }),
      log(11_000_000, { namespace: 'shop', pod: 'payments-1' }),
    ];
    expect(logsAroundEvents([drop], logs, 5_000_000)).toEqual([{ eventIndex: 0, logIndices: [1, 2] }]);
  });
});

describe('networkEventsBySpan', () => {
  it('attaches events by exact span id, and by pod, window and destination (DNS by the span host)', () => {
    const span = buildSpan({
      spanId: 'a'.repeat(16),
      pod: 'frontend-1',
      namespace: 'shop',
      startUs: 1_000,
      endUs: 5_000,
      attributes: { 'server.address': 'payments.shop', 'server.port': 8443 },
    });
    const events: NetworkEvent[] = [
      buildDrop(2_000, client, server),
      { ...buildDrop(2_500, client, { ip: '10.9.9.9', port: 5432, service: 'db', namespace: 'shop' }), kind: 'flow' },
      {
        ...buildDrop(900, client, { ip: '10.96.0.10', port: 53 }),
        kind: 'dns',
        dns: { id: 1, query: 'payments.shop.', qtype: 'A', answers: [], answered: true },
      },
      { ...buildDrop(9_000_000, { ...client, pod: 'elsewhere' }, server), kind: 'http', spanId: 'A'.repeat(16) },
    ];
    expect(networkEventsBySpan(events, [span], 500).get(0)).toEqual([2, 0, 3]);
  });
});
