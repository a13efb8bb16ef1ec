// A drop's case read from the backend's drops frames: who refused whom, why in words, the spans it broke, the fix.
import { DROP_COLUMN, ENDPOINT_COLUMN, FRAME } from '../../../model/frameNames';
import type { DataFrame, DataLink } from '@grafana/data';
import type { DirectionVerdict, PolicyExplanation, PolicySuggestion } from '../../../model/events';
import { findField } from '../shared/frameRows';

export interface CaseEndpoint {
  namespace?: string;
  pod?: string;
  service?: string;
  ip?: string;
}

export interface ExplainedSpan {
  traceId: string;
  spanId?: string;
  service?: string;
  span?: string;
  statusMessage?: string;
  confidence: number;
  why: string;
}

export interface DropCase {
  id: string;
  timeMs: number;
  endTimeMs?: number;
  source: CaseEndpoint;
  destination: CaseEndpoint;
  port?: number;
  reason: string;
  attempts?: number;
  // Each attempt's time (epoch ms) when the agent recorded them.
  attemptTimesMs: number[];
  explanation?: PolicyExplanation;
  explanationText: string;
  suggestions: PolicySuggestion[];
  spans: ExplainedSpan[];
  // The trace store's links on the trace id field (Tempo or Jaeger, as the datasource is set up).
  traceLinks: DataLink[];
  logCount?: number;
}

const value = (frame: DataFrame, name: string, row: number): unknown => findField(frame, [name])?.values[row];

const text = (frame: DataFrame, name: string, row: number): string | undefined => {
  const v = value(frame, name, row);
  return v === null || v === undefined || v === '' ? undefined : String(v);
};

const num = (frame: DataFrame, name: string, row: number): number | undefined => {
  const v = value(frame, name, row);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

function parseJson<T>(raw: string | undefined, fallback: T): T {
  if (!raw) {
    return fallback;
  }
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

const rowOf = (frame: DataFrame, dropId: string): number =>
  findField(frame, [DROP_COLUMN.dropId])?.values.findIndex((v) => v === dropId) ?? -1;

// Undefined when no drops frame holds the drop.
export function readDropCase(frames: DataFrame[], dropId: string): DropCase | undefined {
  const drops = frames.find((f) => f.name === FRAME.drops && rowOf(f, dropId) >= 0);
  if (!drops) {
    return undefined;
  }
  const row = rowOf(drops, dropId);
  const matches = frames.find((f) => f.name === FRAME.dropSpanMatches);
  const spans: ExplainedSpan[] = [];
  for (let i = 0; matches && i < matches.length; i++) {
    if (text(matches, DROP_COLUMN.dropId, i) === dropId && text(matches, DROP_COLUMN.traceId, i)) {
      spans.push({
        traceId: text(matches, DROP_COLUMN.traceId, i)!,
        spanId: text(matches, DROP_COLUMN.spanId, i),
        service: text(matches, DROP_COLUMN.service, i),
        span: text(matches, DROP_COLUMN.span, i),
        statusMessage: text(matches, DROP_COLUMN.statusMessage, i),
        confidence: num(matches, DROP_COLUMN.confidence, i) ?? 0,
        why: text(matches, DROP_COLUMN.why, i) ?? '',
      });
    }
  }
  const traceField = findField(matches ?? drops, [DROP_COLUMN.traceId]);
  return {
    id: dropId,
    timeMs: num(drops, DROP_COLUMN.time, row) ?? 0,
    endTimeMs: num(drops, DROP_COLUMN.endTime, row),
    source: endpoint(drops, 'src', row),
    destination: { ...endpoint(drops, 'dst', row), service: text(drops, ENDPOINT_COLUMN.dstService, row) },
    port: num(drops, DROP_COLUMN.dstPort, row),
    reason: text(drops, DROP_COLUMN.reason, row) ?? 'dropped',
    attempts: num(drops, DROP_COLUMN.attempts, row),
    attemptTimesMs: parseJson<number[]>(text(drops, DROP_COLUMN.attemptTimes, row), []),
    explanation: parseJson<PolicyExplanation | undefined>(text(drops, DROP_COLUMN.policyExplanation, row), undefined),
    explanationText: text(drops, DROP_COLUMN.explanation, row) ?? '',
    suggestions: parseJson<PolicySuggestion[]>(text(drops, DROP_COLUMN.suggestions, row), []),
    spans,
    traceLinks: (traceField?.config.links ?? []).filter((l) => l.internal),
    logCount: num(drops, DROP_COLUMN.logCount, row),
  };
}

function endpoint(frame: DataFrame, side: 'src' | 'dst', row: number): CaseEndpoint {
  return {
    namespace: text(frame, side === 'src' ? ENDPOINT_COLUMN.srcNamespace : ENDPOINT_COLUMN.dstNamespace, row),
    pod: text(frame, side === 'src' ? ENDPOINT_COLUMN.srcPod : ENDPOINT_COLUMN.dstPod, row),
    ip: text(frame, side === 'src' ? ENDPOINT_COLUMN.srcIp : ENDPOINT_COLUMN.dstIp, row),
  };
}

// The one drop of a drops answer (a trace's), or undefined when it holds none or several.
export function singleExplainedDrop(frames: DataFrame[]): string | undefined {
  const ids = new Set<string>();
  for (const frame of frames.filter((f) => f.name === FRAME.drops)) {
    for (const id of findField(frame, [DROP_COLUMN.dropId])?.values ?? []) {
      if (typeof id === 'string' && id) {
        ids.add(id);
      }
    }
  }
  return ids.size === 1 ? [...ids][0] : undefined;
}

// A pod's workload as people name it: the pod name without its ReplicaSet and pod suffixes.
export function workloadName(end: CaseEndpoint): string {
  if (end.pod) {
    return end.pod.replace(/-[a-z0-9]{4,10}-[a-z0-9]{5}$/, '').replace(/-[a-z0-9]{5}$/, '');
  }
  return end.service ?? end.ip ?? 'unknown';
}

// "no rule in [a, b] allows app=frontend (shop) on 8443/TCP" → peer "app=frontend", port "8443/TCP".
export function deniedPeer(verdict: DirectionVerdict): { peer: string; port: string } | undefined {
  const match = /allows (?:egress to )?(.+?)(?: \(([^)]*)\))? on (\S+)$/.exec(verdict.reason);
  return match ? { peer: match[1], port: match[3] } : undefined;
}

const policyList = (policies: string[]) =>
  policies.length === 1 ? `NetworkPolicy ${policies[0]} selects` : `NetworkPolicies ${policies.join(', ')} select`;

// The case in one sentence, from the explanation: who refused whom, which policies, and what no rule allows.
export function dropHeadline(c: DropCase): string {
  const src = workloadName(c.source);
  const dst = workloadName(c.destination);
  const port = c.port !== undefined ? ` on ${c.port}` : '';
  const e = c.explanation;
  if (e && e.ingress.allowed === false) {
    // The policy that names the destination tells more than a namespace-wide default deny.
    const named = e.ingress.policies.filter((p) => !/default-deny/.test(p));
    const peer = deniedPeer(e.ingress);
    return `${dst} refused ${src}: ${policyList(named.length ? named : e.ingress.policies)} ${dst} for ingress and no rule allows ${peer?.peer ?? src}${peer ? ` on ${peer.port}` : port}`;
  }
  if (e && e.egress.allowed === false) {
    const peer = deniedPeer(e.egress);
    return `${src} may not reach ${dst}: ${policyList(e.egress.policies)} ${src} for egress and no rule allows egress to ${peer?.peer ?? dst}${peer ? ` on ${peer.port}` : port}`;
  }
  const attempts = c.attempts && c.attempts > 1 ? ` after ${c.attempts} attempts` : '';
  if (c.reason === 'unanswered_syn') {
    return `${dst} never answered ${src}${port}${attempts}: the SYN was dropped on the path`;
  }
  return `${src} → ${dst}${port} dropped: ${c.explanationText || c.reason}${attempts}`;
}

// Label pairs ("key=value") the denial names for the peer: those no rule of the selecting policies matched.
export function unmatchedLabels(verdict: DirectionVerdict): string[] {
  const peer = deniedPeer(verdict)?.peer ?? '';
  return peer.split(',').filter((pair) => /^[^=\s]+=[^=\s]*$/.test(pair));
}
