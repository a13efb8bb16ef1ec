import type { NetworkEvent } from '../../model/events';
import { newDecodeCounters } from '../decode/packet';
import { TrackerStats } from '../track/trackerStats';
import { AgentMetrics, ShedCounters } from './agentMetrics';

function httpEvent(status: number, traceId?: string): NetworkEvent {
  return {
    kind: 'http',
    time: 1,
    transport: 'tcp',
    src: { ip: '10.0.0.1' },
    dst: { ip: '10.0.0.2' },
    source: 'pcap',
    traceId,
    http: { method: 'GET', path: '/', status, latencyUs: 12_000, requestHeaders: {} },
  };
}

describe('AgentMetrics', () => {
  it('counts events and tracker totals and attaches trace-id exemplars only to OpenMetrics', async () => {
    const tracker = new TrackerStats();
    const decode = newDecodeCounters();
    const metrics = new AgentMetrics({ tracker, decode, shed: new ShedCounters() });
    tracker.retransmits = 7;
    decode.malformed = 2;
    tracker.onHandshakeRtt?.(250);
    metrics.record(httpEvent(503, 'ab'.repeat(16)));
    metrics.record({
      ...httpEvent(200),
      kind: 'drop',
      http: undefined,
      drop: { reason: 'unanswered_syn', verdict: 'dropped' },
    });

    const text = await metrics.render('text/plain');
    expect(text.contentType).toContain('text/plain');
    expect(text.body).toContain('wiretrace_tcp_retransmits_total 7');
    expect(text.body).toContain('wiretrace_decoder_errors_total{kind="malformed"} 2');
    expect(text.body).toContain('wiretrace_drops_total{reason="unanswered_syn"} 1');
    expect(text.body).toContain('wiretrace_http_requests_total{status="503"} 1');
    expect(text.body).toContain('wiretrace_tcp_handshake_rtt_seconds_count 1');
    expect(text.body).not.toContain('trace_id');

    const om = await metrics.render('application/openmetrics-text; version=1.0.0');
    expect(om.contentType).toContain('application/openmetrics-text');
    expect(om.body).toContain(`trace_id="${'ab'.repeat(16)}"`);
    expect(om.body.trimEnd().endsWith('# EOF')).toBe(true);
    // A later plain scrape still names counters with _total.
    expect((await metrics.render(undefined)).body).toContain('wiretrace_tcp_retransmits_total 7');
  });

  it('observes the latency of an exchange without a trace id in both registries', async () => {
    const metrics = new AgentMetrics({
      tracker: new TrackerStats(),
      decode: newDecodeCounters(),
      shed: new ShedCounters(),
    });
    expect(() => metrics.record(httpEvent(200))).not.toThrow();
    metrics.record(httpEvent(200, 'cd'.repeat(16)));
    for (const accept of ['text/plain', 'application/openmetrics-text; version=1.0.0']) {
      const body = (await metrics.render(accept)).body;
      expect(body).toMatch(/wiretrace_http_request_duration_seconds_count\{status="200"\} 2/);
    }
  });
});
