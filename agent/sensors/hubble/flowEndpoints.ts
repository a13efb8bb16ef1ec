// Hubble endpoints and services as Wiretrace endpoints: IP and port from the packet, identity from Cilium's endpoint.
import type { Endpoint } from '../../../model/events';
import type { HubbleEndpoint, HubbleFlow, HubbleLayer4 } from './flowTypes';

// Cilium labels read `source:key=value`; only Kubernetes pod labels are kept, minus Cilium's own bookkeeping.
const LABEL_SOURCE = 'k8s:';
const INTERNAL_LABEL_PREFIXES = ['io.cilium.', 'io.kubernetes.pod.namespace'];

export function podLabels(labels: string[] | undefined): Record<string, string> | undefined {
  if (!labels || labels.length === 0) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const label of labels) {
    if (!label.startsWith(LABEL_SOURCE)) {
      continue;
    }
    const body = label.slice(LABEL_SOURCE.length);
    const eq = body.indexOf('=');
    const key = eq < 0 ? body : body.slice(0, eq);
    if (INTERNAL_LABEL_PREFIXES.some((p) => key.startsWith(p))) {
      continue;
    }
    out[key] = eq < 0 ? '' : body.slice(eq + 1);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function l4Ports(l4: HubbleLayer4 | undefined): { src?: number; dst?: number } {
  const ports = l4?.TCP ?? l4?.UDP ?? l4?.SCTP;
  return { src: ports?.source_port || undefined, dst: ports?.destination_port || undefined };
}

function toEndpoint(
  ip: string | undefined,
  port: number | undefined,
  ep: HubbleEndpoint | undefined,
  service: { name?: string; namespace?: string } | undefined
): Endpoint {
  const out: Endpoint = { ip: ip ?? '' };
  if (port) {
    out.port = port;
  }
  if (ep?.pod_name) {
    out.pod = ep.pod_name;
  }
  if (ep?.namespace) {
    out.namespace = ep.namespace;
  }
  const workload = ep?.workloads?.find((w) => w.name);
  if (workload?.name) {
    out.workload = { kind: workload.kind ?? '', name: workload.name };
  }
  if (service?.name) {
    out.service = service.name;
  }
  const labels = podLabels(ep?.labels);
  if (labels) {
    out.labels = labels;
  }
  return out;
}

export function flowEndpoints(flow: HubbleFlow): { src: Endpoint; dst: Endpoint } {
  const ports = l4Ports(flow.l4);
  return {
    src: toEndpoint(flow.IP?.source, ports.src, flow.source, flow.source_service),
    dst: toEndpoint(flow.IP?.destination, ports.dst, flow.destination, flow.destination_service),
  };
}
