import type { NetworkEvent } from '../../model/events';
import { OtlpDropExporter } from './otlpDropExporter';
import { numberedEvent } from '../testkit/testEvents';
import { TestReceiver, waitFor } from '../testkit/testReceiver';

// OpenTelemetry's own generated protobuf root decodes what we send: an independent check of our field numbers.
interface StaticMessage {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: { longs: typeof String; bytes: typeof String }): unknown;
}
const upstreamRoot = require('@opentelemetry/otlp-transformer/build/src/generated/root') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: StaticMessage } } } } };
};
const ExportTraceServiceRequest = upstreamRoot.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number; message: string };
}

function decodeSpans(body: Buffer): { resource: Record<string, unknown>; spans: DecodedSpan[] } {
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
    longs: String,
    bytes: String,
  }) as {
    resourceSpans: Array<{
      resource: { attributes: Array<{ key: string; value: { stringValue: string } }> };
      scopeSpans: Array<{ spans: DecodedSpan[] }>;
    }>;
  };
  const rs = request.resourceSpans[0];
  const hex = (b64?: string) => (b64 ? Buffer.from(b64, 'base64').toString('hex') : undefined);
  return {
    resource: Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value.stringValue])),
    spans: rs.scopeSpans[0].spans.map((s) => ({
      ...s,
      traceId: hex(s.traceId)!,
      spanId: hex(s.spanId)!,
      parentSpanId: hex(s.parentSpanId),
    })),
  };
}

function attributes(span: DecodedSpan): Record<string, unknown> {
  return Object.fromEntries(
    span.attributes.map((a) => {
      const v = a.value as {
        stringValue?: string;
        intValue?: string;
        arrayValue?: { values: Array<{ stringValue: string }> };
      };
      return [
        a.key,
        v.stringValue ??
          (v.intValue !== undefined ? Number(v.intValue) : v.arrayValue?.values.map((x) => x.stringValue)),
      ];
    })
  );
}

function tracedDrop(): NetworkEvent {
  return {
    ...numberedEvent(0),
    time: 1_772_445_600_123_456,
    endTime: 1_772_445_603_123_456,
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    src: { ip: '10.244.1.7', port: 43512, pod: 'checkout-7d4b8c6f9-x2k4m', namespace: 'shop' },
    dst: { ip: '10.244.2.15', port: 8080, pod: 'payment-api-0', namespace: 'payments', service: 'payment-api' },
    drop: { reason: 'policy_denied', verdict: 'dropped', attempts: 3, deniedBy: ['payments/allow-frontend'] },
  };
}

describe('OtlpDropExporter against a loopback OTLP/HTTP receiver', () => {
  const receiver = new TestReceiver();
  beforeEach(async () => {
    receiver.requests.length = 0;
    receiver.answer = () => ({ status: 200, body: new Uint8Array(0), contentType: 'application/x-protobuf' });
    await receiver.start();
  });
  afterEach(() => receiver.stop());

  it('sends a drop with known trace context as a network.drop span under the known parent span', async () => {
    const exporter = new OtlpDropExporter({
      url: receiver.url,
      node: 'node-a',
      batchWaitMs: 5,
      headers: { 'X-Scope-OrgID': 'team-a' },
    });
    expect(exporter.export(tracedDrop())).toBe(true);
    await waitFor(() => exporter.counters.sent === 1);
    await exporter.close();

    const request = receiver.requests[0];
    expect(request.path).toBe('/v1/traces');
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    expect(request.headers['x-scope-orgid']).toBe('team-a');
    const { resource, spans } = decodeSpans(request.body);
    expect(resource).toEqual({ 'service.name': 'wiretrace-agent', 'k8s.node.name': 'node-a' });
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      name: 'network.drop',
      kind: 1,
      startTimeUnixNano: '1772445600123456000',
      endTimeUnixNano: '1772445603123456000',
      status: { code: 2, message: 'dropped: policy_denied' },
    });
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(attributes(span)).toEqual({
      'network.drop.reason': 'policy_denied',
      'network.drop.verdict': 'dropped',
      'network.drop.policy': ['payments/allow-frontend'],
      'network.drop.attempts': 3,
      'network.drop.source': 'pcap',
      'network.transport': 'tcp',
      'source.address': '10.244.1.7',
      'source.port': 43512,
      'destination.address': '10.244.2.15',
      'destination.port': 8080,
      'k8s.pod.name': 'checkout-7d4b8c6f9-x2k4m',
      'k8s.namespace.name': 'shop',
      'k8s.node.name': 'node-a',
      'destination.k8s.pod.name': 'payment-api-0',
      'destination.k8s.namespace.name': 'payments',
      'destination.service.name': 'payment-api',
    });
  });

  it('ignores drops without a trace and other kinds, and retries a 503 until the receiver recovers', async () => {
    receiver.answer = (_, i) => (i < 2 ? { status: 503 } : { status: 200 });
    const exporter = new OtlpDropExporter({
      url: `${receiver.url}/v1/traces`,
      batchWaitMs: 5,
      backoff: { initialMs: 5, maxMs: 20 },
    });
    const withoutTrace = { ...tracedDrop(), traceId: undefined };
    exporter.export(withoutTrace);
    exporter.export({ ...numberedEvent(1), traceId: 'ab'.repeat(16) });
    exporter.export({ ...tracedDrop(), spanId: undefined });
    await waitFor(() => exporter.counters.sent === 1);
    await exporter.close();
    expect(exporter.counters.retried).toBe(2);
    const { spans } = decodeSpans(receiver.requests[2].body);
    expect(spans).toHaveLength(1);
    expect(spans[0].parentSpanId).toBeUndefined();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/v1/traces', '/v1/traces', '/v1/traces']);
  });
});
