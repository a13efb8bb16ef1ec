// The seeded contents of the upstreams a `drops` query reads: the agent's drops, Tempo's CLIENT spans, and Loki's
// application log lines and durable drop events, over one ten-minute window.
import type { NetworkEvent } from '../../model/events';
import { seededRandom } from './seededRandom';

export const T0_US = 1_763_719_200_000_000;
export const WINDOW_US = 600_000_000;
const PODS = 100;
const SERVICES = 20;

export interface BenchSpan {
  traceId: string;
  spanId: string;
  startUs: number;
  durationUs: number;
  pod: string;
  namespace: string;
  serverAddress: string;
}

export interface BenchLogLine {
  timeNs: bigint;
  labels: Record<string, string>;
  line: string;
}

export interface ObservabilityData {
  drops: NetworkEvent[];
  spans: BenchSpan[];
  appLogs: BenchLogLine[];
  // The agent exports every event to Loki as well: the same drops as log lines of its own stream.
  eventLines: BenchLogLine[];
}

export function observabilityData(events: number, spans: number, logLines: number): ObservabilityData {
  const r = seededRandom(7);
  const drops: NetworkEvent[] = [];
  for (let i = 0; i < events; i++) {
    const pod = Math.floor(r() * PODS);
    const svc = Math.floor(r() * SERVICES);
    const time = T0_US + Math.floor(r() * WINDOW_US);
    drops.push({
      kind: 'drop',
      time,
      endTime: time + Math.floor(r() * 3_000_000),
      transport: 'tcp',
      src: { ip: `10.244.0.${pod}`, port: 40000 + i, pod: `frontend-${pod}`, namespace: 'shop' },
      dst: { ip: `10.96.0.${svc}`, port: 8443, service: `svc-${svc}`, namespace: 'shop' },
      source: 'pcap',
      node: `node-${pod % 3}`,
      drop: {
        reason: 'policy_denied',
        verdict: 'dropped',
        policy: {
          allowed: false,
          egress: { allowed: true, policies: [], reason: 'no policy selects the source' },
          ingress: { allowed: false, policies: [`svc-${svc}-ingress`], reason: 'no rule allows shop/frontend' },
        },
      },
    });
  }
  drops.sort((a, b) => a.time - b.time);
  const spanRows: BenchSpan[] = [];
  for (let i = 0; i < spans; i++) {
    const trace = Math.floor(i / 4);
    spanRows.push({
      traceId: (trace + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      startUs: T0_US + Math.floor(r() * WINDOW_US),
      durationUs: Math.floor(r() * 3_000_000),
      pod: `frontend-${Math.floor(r() * PODS)}`,
      namespace: 'shop',
      serverAddress: `svc-${Math.floor(r() * SERVICES)}.shop.svc.cluster.local`,
    });
  }
  const appLogs: BenchLogLine[] = [];
  for (let i = 0; i < logLines; i++) {
    const pod = `frontend-${Math.floor(r() * PODS)}`;
    const timeUs = T0_US + Math.floor(r() * WINDOW_US);
    appLogs.push({
      timeNs: BigInt(timeUs) * 1000n,
      labels: { service_name: 'frontend', namespace: 'shop', pod },
      line: `level=error msg="upstream request failed" err="connect ETIMEDOUT" pod=${pod} attempt=${i % 3}`,
    });
  }
  appLogs.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  const eventLines = drops.map((d) => ({
    timeNs: BigInt(d.time) * 1000n,
    labels: { service_name: 'wiretrace-agent', kind: 'drop' },
    line: JSON.stringify(d),
  }));
  return { drops, spans: spanRows, appLogs, eventLines };
}
