// The same three exchanges told twice, as a packet capture through `analyze` and as Hubble flow JSON lines,
// must come out as the same events on everything both sources can know.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint, EventKind, NetworkEvent, Workload } from '../../../model/events';
import { analyzeCommand } from '../../commands/analyze';
import {
  ethernetFrame,
  ipv4Packet,
  tcpSegment,
  TCP_FLAGS,
  udpDatagram,
  type TcpSegmentSpec,
} from '../../testkit/packetBuilder';
import { writePcap, type FrameRecord } from '../../testkit/captureWriter';
import { HubbleJsonLineDecoder } from './jsonLines';
import type { HubbleEndpoint, HubbleFlow, HubbleLayer7 } from './flowTypes';

const ROOT = join(__dirname, '../../..');
const CLUSTER_FILE = join(ROOT, 'tests/fixtures/netpol/clusters/shop.yaml');

interface Pod {
  ip: string;
  pod: string;
  namespace: string;
  workload: Workload;
}

// Pods of the shop fixture cluster, so the capture side learns the same identity Cilium reports.
const deployment = (name: string): Workload => ({ kind: 'Deployment', name });
const FRONTEND: Pod = {
  ip: '10.42.0.11',
  pod: 'frontend-6d4b9c7f5-x2k8p',
  namespace: 'shop',
  workload: deployment('frontend'),
};
const CHECKOUT: Pod = {
  ip: '10.42.0.12',
  pod: 'checkout-5f8d7b6c9-q7w2e',
  namespace: 'shop',
  workload: deployment('checkout'),
};
const PAYMENTS: Pod = {
  ip: '10.42.1.21',
  pod: 'payments-7c9f6d8b4-m4n5b',
  namespace: 'shop',
  workload: deployment('payments'),
};
const DNS_SERVER: Pod = {
  ip: '10.42.0.30',
  pod: 'prometheus-0',
  namespace: 'monitoring',
  workload: { kind: 'StatefulSet', name: 'prometheus' },
};

const T0 = 1_772_446_500_000_000;
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

// Each exchange: who talks to whom, and when it starts and ends.
const HTTP = { client: CHECKOUT, server: PAYMENTS, sport: 40002, dport: 9090, startUs: T0, endUs: T0 + 900 };
const DNS = { client: FRONTEND, server: DNS_SERVER, sport: 51000, dport: 53, startUs: T0 + 5_000, endUs: T0 + 6_500 };
const DENIED = { client: FRONTEND, server: PAYMENTS, sport: 40001, dport: 8443, startUs: T0 + 10_000 };
const DENIED_SYN_OFFSETS_US = [0, 1_000_000, 3_000_000];
const QUERY = 'payments.shop.svc.cluster.local';

const REQUEST = Buffer.from(`GET /orders?id=7 HTTP/1.1\r\nHost: payments\r\ntraceparent: ${TRACEPARENT}\r\n\r\n`);
const RESPONSE = Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');

function tcp(timeUs: number, src: Pod, dst: Pod, seg: TcpSegmentSpec): FrameRecord {
  return { timeUs, data: ethernetFrame(ipv4Packet({ src: src.ip, dst: dst.ip, protocol: 6 }, tcpSegment(seg))) };
}

function udp(timeUs: number, src: Pod, dst: Pod, sport: number, dport: number, payload: Uint8Array): FrameRecord {
  const datagram = udpDatagram({ srcPort: sport, dstPort: dport, payload });
  return { timeUs, data: ethernetFrame(ipv4Packet({ src: src.ip, dst: dst.ip, protocol: 17 }, datagram)) };
}

// RFC 1035 message with one question of type A; the response (NXDOMAIN) echoes the question and answers nothing.
function dnsMessage(id: number, flags: number): Uint8Array {
  const name = QUERY.split('.').flatMap((label) => [label.length, ...Buffer.from(label)]);
  return Uint8Array.from([
    id >> 8,
    id & 0xff,
    flags >> 8,
    flags & 0xff,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    ...name,
    0,
    0,
    1,
    0,
    1,
  ]);
}

function exchangesCapture(): Uint8Array {
  const { client, server, sport, dport, startUs: t } = HTTP;
  const toServer = { srcPort: sport, dstPort: dport };
  const toClient = { srcPort: dport, dstPort: sport };
  const frames: FrameRecord[] = [
    tcp(t, client, server, { ...toServer, seq: 500, flags: TCP_FLAGS.SYN }),
    tcp(t + 40, server, client, { ...toClient, seq: 900, ack: 501, flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK }),
    tcp(t + 80, client, server, { ...toServer, seq: 501, ack: 901, flags: TCP_FLAGS.ACK }),
    tcp(t + 100, client, server, {
      ...toServer,
      seq: 501,
      ack: 901,
      flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
      payload: REQUEST,
    }),
    tcp(HTTP.endUs, server, client, {
      ...toClient,
      seq: 901,
      ack: 501 + REQUEST.length,
      flags: TCP_FLAGS.ACK | TCP_FLAGS.PSH,
      payload: RESPONSE,
    }),
    udp(DNS.startUs, DNS.client, DNS.server, DNS.sport, DNS.dport, dnsMessage(0x1234, 0x0100)),
    udp(DNS.endUs, DNS.server, DNS.client, DNS.dport, DNS.sport, dnsMessage(0x1234, 0x8183)),
    // Nobody answers: the client's stack sends the SYN again with its usual backoff.
    ...DENIED_SYN_OFFSETS_US.map((dt) =>
      tcp(DENIED.startUs + dt, DENIED.client, DENIED.server, {
        srcPort: DENIED.sport,
        dstPort: DENIED.dport,
        seq: 100,
        flags: TCP_FLAGS.SYN,
      })
    ),
  ];
  frames.sort((a, b) => a.timeUs - b.timeUs);
  return writePcap(frames, { linkType: 1 });
}

// Hubble writes RFC 3339 times with nanoseconds.
function rfc3339(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const whole = new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, '');
  return `${whole}.${String((us - seconds * 1e6) * 1000).padStart(9, '0')}Z`;
}

function endpoint(p: Pod): HubbleEndpoint {
  return {
    namespace: p.namespace,
    pod_name: p.pod,
    labels: [`k8s:app=${p.workload.name}`, `k8s:io.kubernetes.pod.namespace=${p.namespace}`],
    workloads: [p.workload],
  };
}

// A flow as protobuf JSON writes it: RFC 3339 time, BoolValue wrappers as plain booleans.
type HubbleJsonFlow = Omit<HubbleFlow, 'time' | 'is_reply'> & { time: string; is_reply?: boolean };

// One L7 record as Cilium's proxy logs it: the request at its start, the response (swapped endpoints) at its end.
function l7Pair(
  x: { client: Pod; server: Pod; sport: number; dport: number; startUs: number; endUs: number },
  transport: 'TCP' | 'UDP',
  request: HubbleLayer7,
  response: HubbleLayer7
): HubbleJsonFlow[] {
  const record = (fromClient: boolean, atUs: number, l7: HubbleLayer7): HubbleJsonFlow => {
    const [src, dst, sport, dport] = fromClient
      ? [x.client, x.server, x.sport, x.dport]
      : [x.server, x.client, x.dport, x.sport];
    return {
      time: rfc3339(atUs),
      verdict: 'FORWARDED',
      IP: { source: src.ip, destination: dst.ip, ipVersion: 'IPv4' },
      l4: { [transport]: { source_port: sport, destination_port: dport } },
      source: endpoint(src),
      destination: endpoint(dst),
      Type: 'L7',
      l7,
      is_reply: !fromClient,
    };
  };
  return [record(true, x.startUs + 100, request), record(false, x.endUs, response)];
}

function hubbleLines(): string {
  // Cilium's proxy logs the Host header (the :authority) as the URL's host, not as a header.
  const httpHeaders = [{ key: 'traceparent', value: TRACEPARENT }];
  const url = 'http://payments/orders?id=7';
  const flows: HubbleJsonFlow[] = [
    ...l7Pair(
      HTTP,
      'TCP',
      { type: 'REQUEST', http: { method: 'GET', url, protocol: 'HTTP/1.1', headers: httpHeaders } },
      {
        type: 'RESPONSE',
        latency_ns: String((HTTP.endUs - HTTP.startUs - 100) * 1000),
        http: { code: 503, method: 'GET', url, protocol: 'HTTP/1.1', headers: httpHeaders },
      }
    ),
    ...l7Pair(
      DNS,
      'UDP',
      { type: 'REQUEST', dns: { query: `${QUERY}.`, qtypes: ['A'] } },
      {
        type: 'RESPONSE',
        latency_ns: String((DNS.endUs - DNS.startUs) * 1000),
        dns: { query: `${QUERY}.`, qtypes: ['A'], rcode: 3 },
      }
    ),
    {
      time: rfc3339(DENIED.startUs),
      verdict: 'DROPPED',
      drop_reason_desc: 'POLICY_DENIED',
      IP: { source: DENIED.client.ip, destination: DENIED.server.ip, ipVersion: 'IPv4' },
      l4: { TCP: { source_port: DENIED.sport, destination_port: DENIED.dport, flags: { SYN: true } } },
      source: endpoint(DENIED.client),
      destination: endpoint(DENIED.server),
      Type: 'L3_L4',
      is_reply: false,
      ingress_denied_by: [{ name: 'payments-allow-checkout', namespace: 'shop', kind: 'NetworkPolicy' }],
    },
  ];
  return flows.map((flow) => JSON.stringify({ flow, time: flow.time })).join('\n');
}

async function captureEvents(): Promise<NetworkEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wt-hubble-vs-pcap-'));
  const file = join(dir, 'exchanges.pcap');
  writeFileSync(file, exchangesCapture());
  let stdout = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await analyzeCommand.run(['--pcap', file, '--cluster', CLUSTER_FILE])).toBe(0);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as NetworkEvent);
}

function hubbleEvents(): NetworkEvent[] {
  const events: NetworkEvent[] = [];
  const decoder = new HubbleJsonLineDecoder((e) => events.push(e));
  decoder.push(hubbleLines());
  decoder.end();
  expect(decoder.counters.malformed).toBe(0);
  return events;
}

// What both a capture and Hubble know about an event; everything else is one source's own.
function comparable(e: NetworkEvent) {
  // Labels are left out: the capture side reads the cluster's, Cilium reports its own identity labels.
  const ends = (p: Endpoint) => ({ ip: p.ip, port: p.port, pod: p.pod, namespace: p.namespace, workload: p.workload });
  return {
    kind: e.kind,
    transport: e.transport,
    src: ends(e.src),
    dst: ends(e.dst),
    traceId: e.traceId,
    http: e.http && {
      method: e.http.method,
      path: e.http.path,
      status: e.http.status,
      host: e.http.host,
      traceparent: e.http.requestHeaders.traceparent,
    },
    dns: e.dns && { query: e.dns.query, qtype: e.dns.qtype, rcode: e.dns.rcode, answered: e.dns.answered },
    // Reasons differ by what each source saw: the capture infers unanswered_syn, Cilium names policy_denied.
    drop: e.drop && { verdict: e.drop.verdict },
  };
}

function only(events: NetworkEvent[], kind: EventKind): NetworkEvent {
  const matching = events.filter((e) => e.kind === kind);
  expect(matching).toHaveLength(1);
  return matching[0];
}

describe('Hubble flows and a capture of the same exchanges', () => {
  let fromCapture: NetworkEvent[];
  let fromHubble: NetworkEvent[];

  beforeAll(async () => {
    fromCapture = await captureEvents();
    fromHubble = hubbleEvents();
  });

  it.each<[EventKind, { startUs: number; endUs: number }]>([
    ['http', HTTP],
    ['dns', DNS],
    ['drop', { startUs: DENIED.startUs, endUs: DENIED.startUs + DENIED_SYN_OFFSETS_US[2] }],
  ])('agree on the %s event field by field', (kind, window) => {
    const pcap = only(fromCapture, kind);
    const hubble = only(fromHubble, kind);
    expect(comparable(hubble)).toEqual(comparable(pcap));
    expect(pcap.source).toBe('pcap');
    expect(hubble.source).toBe('hubble');
    // Each source stamps its own moment (first packet, proxy response record, dropped packet): all lie within the exchange.
    for (const e of [pcap, hubble]) {
      expect(e.time).toBeGreaterThanOrEqual(window.startUs);
      expect(e.time).toBeLessThanOrEqual(window.endUs);
    }
  });

  it('carry the HTTP exchange and the DNS answer with the same content', () => {
    const http = only(fromHubble, 'http');
    expect(comparable(http).http).toEqual({
      method: 'GET',
      // Both keep only the path: query strings often carry tokens.
      path: '/orders',
      status: 503,
      host: 'payments',
      traceparent: TRACEPARENT,
    });
    expect(http.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect([http.spanId, only(fromCapture, 'http').spanId]).toEqual(['b7ad6b7169203331', 'b7ad6b7169203331']);
    expect(comparable(only(fromHubble, 'dns')).dns).toEqual({
      query: QUERY,
      qtype: 'A',
      rcode: 'NXDOMAIN',
      answered: true,
    });
    // Hubble's latency is the proxy's own figure; written here as the request→response gap the capture measures.
    for (const kind of ['dns', 'http'] as const) {
      const latency = (e: NetworkEvent) => e[kind]?.latencyUs;
      expect(latency(only(fromHubble, kind))).toBe(latency(only(fromCapture, kind)));
    }
  });

  it('report the denied connection as a drop, each with its own reason', () => {
    const pcap = only(fromCapture, 'drop');
    const hubble = only(fromHubble, 'drop');
    expect(pcap.drop).toMatchObject({ reason: 'unanswered_syn', verdict: 'dropped', attempts: 3 });
    // Only Cilium knows which policy denied it; the capture side explains it from the cluster's NetworkPolicies.
    expect(hubble.drop).toEqual({
      reason: 'policy_denied',
      verdict: 'dropped',
      deniedBy: ['shop/payments-allow-checkout'],
    });
    expect(pcap.drop?.policy?.ingress.policies).toContain('shop/payments-allow-checkout');
  });
});
