import type { NetworkEvent } from '../../../model/events';
import { HubbleJsonLineDecoder, readHubbleJsonFile } from './jsonLines';
import { FLOWS_JSONL_PATH, fixtureLines } from '../../testkit/hubbleFlows';

async function fixtureEvents() {
  const events: NetworkEvent[] = [];
  const counters = await readHubbleJsonFile(FLOWS_JSONL_PATH, (e) => events.push(e));
  return { events, counters };
}

describe('Hubble JSON lines', () => {
  it('maps a policy drop with its denying policy, trace id, endpoints and service', async () => {
    const { events } = await fixtureEvents();
    const drop = events[0];
    expect(drop).toEqual({
      kind: 'drop',
      time: Date.UTC(2026, 2, 2, 10, 15, 0) * 1000 + 123456,
      transport: 'tcp',
      source: 'hubble',
      node: 'kind-worker',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      src: {
        ip: '10.244.1.7',
        port: 43512,
        pod: 'checkout-7d4b8c6f9-x2k4m',
        namespace: 'shop',
        workload: { kind: 'Deployment', name: 'checkout' },
        labels: { app: 'checkout', tier: 'backend' },
      },
      dst: {
        ip: '10.244.2.15',
        port: 8080,
        pod: 'payment-api-5f6d7b9c4-q8w2e',
        namespace: 'payments',
        workload: { kind: 'Deployment', name: 'payment-api' },
        service: 'payment-api',
        labels: { app: 'payment-api' },
      },
      drop: { reason: 'policy_denied', verdict: 'dropped', deniedBy: ['payments/payments-allow-frontend'] },
    });
  });

  it('turns DNS and HTTP responses into client→server exchanges and skips the requests they answer', async () => {
    const { events, counters } = await fixtureEvents();
    const dns = events.find((e) => e.kind === 'dns');
    expect(dns?.src.pod).toBe('checkout-7d4b8c6f9-x2k4m');
    expect(dns?.dst).toMatchObject({ ip: '10.96.0.10', port: 53, pod: 'coredns-6f6b679f8f-abcde' });
    expect(dns?.dns).toEqual({
      id: 0,
      query: 'payments.svc.cluster.local',
      qtype: 'A',
      rcode: 'NXDOMAIN',
      answers: [],
      answered: true,
      latencyUs: 1500,
    });
    const http = events.find((e) => e.kind === 'http');
    expect(http?.src).toMatchObject({
      ip: '10.244.1.9',
      port: 40102,
      workload: { kind: 'Deployment', name: 'frontend' },
    });
    expect(http?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(http?.spanId).toBe('b7ad6b7169203331');
    expect(http?.http).toEqual({
      method: 'POST',
      // The query string is dropped, as the packet pipeline drops it.
      path: '/api/v1/cart',
      host: 'cart.shop.svc.cluster.local',
      status: 503,
      latencyUs: 30000,
      protocol: 'HTTP/1.1',
      requestHeaders: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        authorization: '[redacted]',
        'x-request-id': 'r-77',
      },
    });
    expect(counters.skipped.l7_request).toBe(2);
  });

  it('maps L3/L4 traces to flow and reset events, audit verdicts and other drop reasons to drops', async () => {
    const { events } = await fixtureEvents();
    expect(events.map((e) => [e.kind, e.drop?.reason ?? e.flow?.state])).toEqual([
      ['drop', 'policy_denied'],
      ['dns', undefined],
      ['flow', 'active'],
      ['reset', 'reset'],
      ['http', undefined],
      ['drop', 'policy_audit'],
      ['drop', 'ct_map_insertion_failed'],
      ['drop', 'policy_denied'],
    ]);
    const reset = events[3];
    expect(reset.src.pod).toBe('frontend-66b7f9d8c-zz9pk');
    expect(reset.flow?.tcp).toEqual({ retransmits: 0, zeroWindow: 0, lifecycle: 4 | 32, resetBy: 'server' });
    expect(events[5].drop).toEqual({ reason: 'policy_audit', verdict: 'denied', deniedBy: ['shop/default-deny'] });
    expect(events[6]).toMatchObject({
      transport: 'udp',
      src: { ip: 'fd00:10:244:1::7' },
      dst: { ip: 'fd00:10:244:2::15' },
    });
  });

  it('reads camelCase jsonpb lines the same as proto-name lines', async () => {
    const { events } = await fixtureEvents();
    const camel = events[7];
    expect(camel).toMatchObject({
      kind: 'drop',
      node: 'kind-worker',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      src: { port: 43514, pod: 'checkout-7d4b8c6f9-x2k4m' },
      drop: { reason: 'policy_denied', deniedBy: ['payments/payments-allow-frontend'] },
    });
  });

  it('counts malformed lines and upstream losses instead of failing', async () => {
    const { counters } = await fixtureEvents();
    expect(counters).toMatchObject({ flows: 10, events: 8, malformed: 2, lostUpstream: 17 });
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const text = fixtureLines().join('\n');
    const whole: NetworkEvent[] = [];
    const wholeDecoder = new HubbleJsonLineDecoder((e) => whole.push(e));
    wholeDecoder.push(text);
    wholeDecoder.end();
    const chunked: NetworkEvent[] = [];
    const chunkedDecoder = new HubbleJsonLineDecoder((e) => chunked.push(e));
    for (let i = 0; i < text.length; i += 37) {
      chunkedDecoder.push(text.slice(i, i + 37));
    }
    chunkedDecoder.end();
    expect(chunked).toEqual(whole);
    expect(whole).toHaveLength(8);
  });

  it('rejects a file it cannot open with a message naming it', async () => {
    await expect(readHubbleJsonFile('/nonexistent/flows.json', () => undefined)).rejects.toThrow(
      '/nonexistent/flows.json'
    );
  });

  it('holds at most one bounded line: an endless line is counted malformed and skipped to the next newline', () => {
    const events: NetworkEvent[] = [];
    const decoder = new HubbleJsonLineDecoder((e) => events.push(e));
    const zeros = '\0'.repeat(1 << 20);
    for (let i = 0; i < 12; i++) {
      decoder.push(zeros);
    }
    expect(decoder.counters.malformed).toBe(1);
    decoder.push(`${zeros}\n${fixtureLines()[0]}\n`);
    decoder.end();
    expect(decoder.counters.malformed).toBe(1);
    expect(decoder.counters.flows).toBe(1);
  });
});
