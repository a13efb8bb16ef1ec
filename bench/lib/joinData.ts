// The seeded rows both join engines read: CLIENT spans and drops over one hour, with every scoring case present
// (named, ClusterIP and pod-IP destinations; timeout, refusal, unclassified, ok and unset statuses; silent and
// rejecting drops), so that an engine that scores any case differently produces different rows.
import { seededRandom } from './seededRandom';

export const JOIN_SPANS = Number(process.env.WIRETRACE_BENCH_SPANS ?? 1_000_000);
export const JOIN_DROPS = Number(process.env.WIRETRACE_BENCH_DROPS ?? 100_000);
export const SLACK_US = 500_000;
const PODS = 2000;
const NAMESPACES = 20;
const SERVICES = 200;
const WINDOW_US = 3_600_000_000;
const T0_US = 1_763_719_200_000_000;
const SEED = 20261121;

export type SpanStatusCode = 'unset' | 'ok' | 'error';

export interface SpanRow {
  pod: number;
  startUs: number;
  endUs: number;
  // Where the span says it went: a cluster DNS name, a ClusterIP or a pod IP.
  host: string;
  port: number;
  status: SpanStatusCode;
  message: string | undefined;
}

export interface DropRow {
  pod: number;
  timeUs: number;
  endUs: number;
  service: number;
  reason: string;
}

const MESSAGES = ['connect ETIMEDOUT', 'socket hang up', 'connect ECONNREFUSED 10.96.0.1:8000', 'read ECONNRESET'];

export const podName = (p: number): string => `pod-${p}`;
export const namespaceOf = (p: number): string => `ns-${p % NAMESPACES}`;
export const serviceName = (s: number): string => `svc-${s}`;
export const serviceNamespace = (s: number): string => `ns-${s % NAMESPACES}`;
export const serviceIp = (s: number): string => `10.96.${s >> 8}.${s & 255}`;
export const servicePort = (s: number): number => 8000 + (s % 4);
const hostOf = (s: number) => `${serviceName(s)}.${serviceNamespace(s)}.svc.cluster.local`;

export function generateJoinRows(onSpan: (row: SpanRow) => void, onDrop: (row: DropRow) => void): void {
  const r = seededRandom(SEED);
  for (let i = 0; i < JOIN_SPANS; i++) {
    const startUs = T0_US + Math.floor(r() * WINDOW_US);
    // Mostly short calls, a tail of multi-second timeouts.
    const durationUs = r() < 0.1 ? 1_000_000 + Math.floor(r() * 4_000_000) : 1_000 + Math.floor(r() * 200_000);
    const service = Math.floor(r() * SERVICES);
    const addressing = r();
    const host =
      addressing < 0.8 ? hostOf(service) : addressing < 0.9 ? serviceIp(service) : `10.244.${service}.${i & 255}`;
    const statusDraw = r();
    const status: SpanStatusCode = statusDraw < 0.2 ? 'error' : statusDraw < 0.3 ? 'ok' : 'unset';
    onSpan({
      pod: Math.floor(r() * PODS),
      startUs,
      endUs: startUs + durationUs,
      host,
      port: 8000 + Math.floor(r() * 4),
      status,
      message: status === 'error' ? MESSAGES[Math.floor(r() * MESSAGES.length)] : undefined,
    });
  }
  for (let i = 0; i < JOIN_DROPS; i++) {
    const timeUs = T0_US + Math.floor(r() * WINDOW_US);
    onDrop({
      pod: Math.floor(r() * PODS),
      timeUs,
      endUs: timeUs + Math.floor(r() * 3_000_000),
      service: Math.floor(r() * SERVICES),
      reason: r() < 0.8 ? 'policy_denied' : 'icmp_reject',
    });
  }
}

// (drop, span, confidence in thousandths) rows in one sorted array, the form both engines' answers are compared in.
export function packTriples(
  rows: number,
  fill: (put: (drop: number, span: number, milli: number) => void) => void
): Int32Array {
  const out = new Int32Array(rows * 3);
  let n = 0;
  fill((drop, span, milli) => {
    out[n++] = drop;
    out[n++] = span;
    out[n++] = milli;
  });
  const order = Array.from({ length: rows }, (_, k) => k);
  order.sort((a, b) => out[a * 3] - out[b * 3] || out[a * 3 + 1] - out[b * 3 + 1]);
  const sorted = new Int32Array(rows * 3);
  order.forEach((k, j) => sorted.set(out.subarray(k * 3, k * 3 + 3), j * 3));
  return sorted;
}

// The first differing row as text, or undefined when both hold the same rows.
export function firstDifference(a: Int32Array, b: Int32Array): string | undefined {
  const rows = Math.max(a.length, b.length) / 3;
  for (let k = 0; k < rows; k++) {
    const x = a.subarray(k * 3, k * 3 + 3).join(',');
    const y = b.subarray(k * 3, k * 3 + 3).join(',');
    if (x !== y) {
      return `row ${k}: ours (${x || 'none'}) vs DuckDB (${y || 'none'})`;
    }
  }
  return undefined;
}
