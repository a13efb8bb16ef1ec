/**
 * A drop whose trace is known, as an OTLP span in that trace: name `network.drop`, kind INTERNAL, child of the
 * span that made the request when its id is known, status ERROR with the reason, attributes after OpenTelemetry
 * semantic conventions (source.*, destination.*, network.transport, k8s.*) plus network.drop.*.
 */
import { randomBytes } from 'node:crypto';
import type { NetworkEvent } from '../../model/events';

export type AttributeValue = string | number | boolean | string[];

export interface DropSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startUs: number;
  endUs: number;
  statusMessage: string;
  attributes: Record<string, AttributeValue>;
}

export const DROP_SPAN_NAME = 'network.drop';

function put(attributes: Record<string, AttributeValue>, key: string, value: AttributeValue | undefined): void {
  if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) {
    attributes[key] = value;
  }
}

export function dropSpan(
  event: NetworkEvent,
  newSpanId: () => string = () => randomBytes(8).toString('hex')
): DropSpan | undefined {
  if (event.kind !== 'drop' || !event.drop || !event.traceId) {
    return undefined;
  }
  const drop = event.drop;
  const attributes: Record<string, AttributeValue> = {};
  put(attributes, 'network.drop.reason', drop.reason);
  put(attributes, 'network.drop.verdict', drop.verdict);
  put(
    attributes,
    'network.drop.policy',
    drop.deniedBy ?? drop.policy?.egress.policies.concat(drop.policy.ingress.policies)
  );
  put(attributes, 'network.drop.attempts', drop.attempts);
  put(attributes, 'network.drop.source', event.source);
  put(attributes, 'network.transport', event.transport);
  put(attributes, 'source.address', event.src.ip);
  put(attributes, 'source.port', event.src.port);
  put(attributes, 'destination.address', event.dst.ip);
  put(attributes, 'destination.port', event.dst.port);
  put(attributes, 'k8s.pod.name', event.src.pod);
  put(attributes, 'k8s.namespace.name', event.src.namespace);
  put(attributes, 'k8s.node.name', event.node);
  put(attributes, 'destination.k8s.pod.name', event.dst.pod);
  put(attributes, 'destination.k8s.namespace.name', event.dst.namespace);
  put(attributes, 'destination.service.name', event.dst.service);
  const span: DropSpan = {
    traceId: event.traceId,
    spanId: newSpanId(),
    name: DROP_SPAN_NAME,
    startUs: event.time,
    endUs: Math.max(event.time, event.endTime ?? event.time),
    statusMessage: `dropped: ${drop.reason}`,
    attributes,
  };
  if (event.spanId) {
    span.parentSpanId = event.spanId;
  }
  return span;
}
