// Keys that say "this span and this network event happened in the same pod", for hash grouping.
import type { Endpoint } from '../../model/events';
import { stringAttribute, type Attributes, type Span } from '../clients/tempoSpan';

// A span lives in exactly one group: the most specific identity its resource carries.
export function spanPodKey(span: Span): string | undefined {
  return resourcePodKey(span.resource);
}

export function resourcePodKey(resource: Attributes): string | undefined {
  const pod = stringAttribute(resource, 'k8s.pod.name');
  const namespace = stringAttribute(resource, 'k8s.namespace.name');
  if (pod && namespace) {
    return `p:${namespace}/${pod}`;
  }
  if (pod) {
    return `n:${pod}`;
  }
  const ip = stringAttribute(resource, 'k8s.pod.ip');
  return ip ? `ip:${ip}` : undefined;
}

// An event's source is listed under every form a span might use, so each (event, span) pair meets once.
export function endpointPodKeys(endpoint: Endpoint): string[] {
  const keys: string[] = [];
  if (endpoint.pod) {
    if (endpoint.namespace) {
      keys.push(`p:${endpoint.namespace}/${endpoint.pod}`);
    }
    keys.push(`n:${endpoint.pod}`);
  }
  if (endpoint.ip) {
    keys.push(`ip:${endpoint.ip}`);
  }
  return keys;
}

export function describePod(endpoint: Endpoint): string {
  if (endpoint.pod) {
    return endpoint.namespace ? `${endpoint.namespace}/${endpoint.pod}` : endpoint.pod;
  }
  return endpoint.ip;
}
