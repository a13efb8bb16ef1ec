// Turns the evidence for one (network event, span) pair into a confidence in [0, 1] and a one-line why.
import type { NetworkEvent } from '../../model/events';
import type { Span } from '../clients/tempoSpan';
import { destinationVerdict, type DestinationAgreement, type EndpointNames, type SpanDestination } from './destination';
import { classifyFailure, expectedFailures, type FailureKind } from './failureKind';
import { describePod } from './podIdentity';

export interface DropSpanEvidence {
  destination: DestinationAgreement;
  failure: 'expected' | 'compatible' | 'unclassified' | 'contradicts' | 'ok' | 'unset';
  failureKind?: FailureKind;
  // Drop start minus span start; how long after the span began the network saw the failure.
  offsetUs: number;
}

// What scoring reads of a span: its times and status.
export type ScoredSpan = Pick<Span, 'startUs' | 'endUs' | 'status'>;

export interface ScoredPair {
  confidence: number;
  why: string;
  evidence: DropSpanEvidence;
}

const BASE = 0.25;
const DESTINATION_WEIGHT: Record<DestinationAgreement, number> = {
  host_and_port: 0.4,
  host: 0.32,
  port: 0.12,
  unknown: 0,
  mismatch: -0.2,
};
const FAILURE_WEIGHT: Record<DropSpanEvidence['failure'], number> = {
  expected: 0.2,
  compatible: 0.12,
  unclassified: 0.08,
  contradicts: -0.05,
  ok: -0.15,
  unset: 0,
};
const PROXIMITY_WEIGHT = 0.15;
// A drop two seconds after the span began is still close; proximity halves roughly every 1.4 s.
const PROXIMITY_SCALE_US = 2_000_000;

// What the scorer reads from a span, computed once per span however many events it meets.
export interface SpanFacts {
  destination: SpanDestination;
  failureKind?: FailureKind;
}

// Only an errored span has a failure kind to compare with what the network saw.
export function spanFailureKind(status: ScoredSpan['status']): FailureKind | undefined {
  return status.code === 'error' ? classifyFailure(status.message) : undefined;
}

export function scoreDropSpan(
  event: NetworkEvent,
  span: ScoredSpan,
  facts: SpanFacts,
  dstNames?: EndpointNames
): ScoredPair {
  const destination = facts.destination;
  const dest = destinationVerdict(destination, event.dst, dstNames);
  const { failure, failureKind } = failureEvidence(event, span, facts.failureKind);
  const offsetUs = event.time - span.startUs;
  const proximity = Math.exp(-Math.abs(offsetUs) / PROXIMITY_SCALE_US);
  const raw = BASE + DESTINATION_WEIGHT[dest.agreement] + FAILURE_WEIGHT[failure] + PROXIMITY_WEIGHT * proximity;
  const confidence = Math.round(Math.min(1, Math.max(0, raw)) * 1000) / 1000;
  const what = event.kind === 'drop' ? 'drop' : event.kind;
  const why = `same pod ${describePod(event.src)}, ${destinationText(dest.agreement, dest.matched, destination, what)}, ${failureText(event, span, failure)}`;
  return {
    confidence,
    why,
    evidence: { destination: dest.agreement, failure, failureKind, offsetUs },
  };
}

function failureEvidence(
  event: NetworkEvent,
  span: ScoredSpan,
  failureKind: FailureKind | undefined
): { failure: DropSpanEvidence['failure']; failureKind?: FailureKind } {
  if (span.status.code === 'ok') {
    return { failure: 'ok' };
  }
  if (span.status.code !== 'error') {
    return { failure: 'unset' };
  }
  if (!failureKind) {
    return { failure: 'unclassified' };
  }
  const expected = expectedFailures(event);
  if (expected[0] === failureKind) {
    return { failure: 'expected', failureKind };
  }
  return { failure: expected.includes(failureKind) ? 'compatible' : 'contradicts', failureKind };
}

function destinationText(
  agreement: DestinationAgreement,
  matched: string | undefined,
  destination: SpanDestination,
  what: string
): string {
  switch (agreement) {
    case 'host_and_port':
    case 'host':
      return `destination ${matched} matches ${what} dst`;
    case 'port':
      return `${matched} matches ${what} dst (span names no host)`;
    case 'mismatch':
      return `span destination ${destination.hosts[0] ?? destination.peerService ?? `port ${destination.port}`} differs from ${what} dst`;
    default:
      return 'span names no destination';
  }
}

function failureText(event: NetworkEvent, span: ScoredSpan, failure: DropSpanEvidence['failure']): string {
  const first = event.kind === 'drop' ? 'first SYN' : event.kind;
  if (failure === 'ok') {
    return 'but span succeeded';
  }
  if (failure === 'unset') {
    return `span status unset, ${first} ${seconds(event.time - span.startUs)} ${event.time >= span.startUs ? 'after' : 'before'} span start`;
  }
  const message = span.status.message ? ` '${span.status.message}'` : '';
  const after = span.endUs - event.time;
  const timing = after >= 0 ? `${seconds(after)} after ${first}` : `${seconds(-after)} before ${first}`;
  const note = failure === 'contradicts' ? ' (unexpected for this failure)' : '';
  return `span errored${message} ${timing}${note}`;
}

function seconds(us: number): string {
  return `${(Math.abs(us) / 1_000_000).toFixed(1)}s`;
}
