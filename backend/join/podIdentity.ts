// The one rule for "this span and this network event happened in the same pod": the identity a span's resource
// carries, and every form of it an event endpoint matches.
import type { Endpoint } from '../../model/events';
import { stringAttribute, type Attributes } from '../clients/tempoSpan';

// A pod named in its namespace, a pod name alone, or only a pod IP.
export type PodIdentityForm = 'namespacedPod' | 'pod' | 'ip';

// Called with the form and its values; `namespace` is set only for the namespaced form.
export type PodIdentityVisitor = (form: PodIdentityForm, name: string, namespace?: string) => void;

// A span lives in exactly one group: the most specific identity its resource carries (none when it has none).
export function visitResourcePodIdentity(resource: Attributes, visit: PodIdentityVisitor): void {
  const pod = stringAttribute(resource, 'k8s.pod.name');
  const namespace = stringAttribute(resource, 'k8s.namespace.name');
  if (pod && namespace) {
    visit('namespacedPod', pod, namespace);
  } else if (pod) {
    visit('pod', pod);
  } else {
    const ip = stringAttribute(resource, 'k8s.pod.ip');
    if (ip) {
      visit('ip', ip);
    }
  }
}

// An event's endpoint is listed under every form a span might use, so each (event, span) pair meets once.
export function visitEndpointPodIdentities(endpoint: Endpoint, visit: PodIdentityVisitor): void {
  if (endpoint.pod) {
    if (endpoint.namespace) {
      visit('namespacedPod', endpoint.pod, endpoint.namespace);
    }
    visit('pod', endpoint.pod);
  }
  if (endpoint.ip) {
    visit('ip', endpoint.ip);
  }
}

export function describePod(endpoint: Endpoint): string {
  if (endpoint.pod) {
    return endpoint.namespace ? `${endpoint.namespace}/${endpoint.pod}` : endpoint.pod;
  }
  return endpoint.ip;
}
