// Where a CLIENT span says it was going, and whether that agrees with a network event's destination.
import type { Endpoint } from '../../model/events';
import { numberAttribute, stringAttribute, type Attributes, type Span } from '../clients/tempoSpan';

export interface SpanDestination {
  // Host names and addresses, lowercase, without a trailing dot.
  hosts: string[];
  port?: number;
  peerService?: string;
}

export type DestinationAgreement = 'host_and_port' | 'host' | 'port' | 'unknown' | 'mismatch';

export interface DestinationVerdict {
  agreement: DestinationAgreement;
  // What agreed, as a user reads it, e.g. "payments.shop:8443".
  matched?: string;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'grpc:': 80, 'grpcs:': 443 };

export function spanDestination(span: Span): SpanDestination {
  return attributesDestination(span.attributes);
}

// From a span's attributes; spans sharing one attribute set share one destination.
export function attributesDestination(a: Attributes): SpanDestination {
  const hosts = new Set<string>();
  let port = numberAttribute(a, 'server.port') ?? numberAttribute(a, 'net.peer.port');
  const add = (host: string | undefined) => {
    if (host) {
      hosts.add(normaliseHost(host));
    }
  };
  add(stringAttribute(a, 'server.address'));
  add(stringAttribute(a, 'net.peer.name'));
  add(stringAttribute(a, 'network.peer.address'));
  add(stringAttribute(a, 'net.sock.peer.addr'));
  add(stringAttribute(a, 'net.peer.ip'));
  for (const key of ['url.full', 'http.url']) {
    const url = parseUrl(stringAttribute(a, key));
    if (url) {
      add(url.hostname);
      port ??= url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
    }
  }
  const peerService = stringAttribute(a, 'peer.service');
  return { hosts: [...hosts], port, peerService: peerService?.toLowerCase() };
}

// Every name cluster DNS resolves to this endpoint: svc, svc.ns, svc.ns.svc, svc.ns.svc.<cluster domain>.
export interface EndpointNames {
  names: Set<string>;
  // "svc.ns.svc." — any cluster domain may follow.
  clusterPrefix?: string;
}

export function endpointNames(endpoint: Endpoint): EndpointNames {
  const names = new Set<string>();
  for (const name of [endpoint.service, endpoint.workload?.name, endpoint.pod]) {
    if (!name) {
      continue;
    }
    const lower = name.toLowerCase();
    names.add(lower);
    if (endpoint.namespace) {
      const ns = endpoint.namespace.toLowerCase();
      names.add(`${lower}.${ns}`);
      names.add(`${lower}.${ns}.svc`);
    }
  }
  const clusterPrefix =
    endpoint.service && endpoint.namespace ? `${endpoint.service}.${endpoint.namespace}.svc.`.toLowerCase() : undefined;
  return { names, clusterPrefix };
}

// names: endpointNames(endpoint), passed in when the caller scores one endpoint against many spans.
export function destinationVerdict(
  destination: SpanDestination,
  endpoint: Endpoint,
  names: EndpointNames = endpointNames(endpoint)
): DestinationVerdict {
  let hostMatch: string | undefined;
  for (const host of destination.hosts) {
    const clusterForm =
      names.clusterPrefix !== undefined &&
      host.length > names.clusterPrefix.length &&
      host.startsWith(names.clusterPrefix);
    if (host === endpoint.ip || names.names.has(host) || clusterForm) {
      hostMatch = host;
      break;
    }
  }
  if (!hostMatch && destination.peerService && names.names.has(destination.peerService)) {
    hostMatch = destination.peerService;
  }
  const portKnown = destination.port !== undefined && endpoint.port !== undefined;
  const portMatch = portKnown && destination.port === endpoint.port;
  if (hostMatch) {
    if (portMatch) {
      return { agreement: 'host_and_port', matched: `${hostMatch}:${endpoint.port}` };
    }
    // A Service port may differ from the pod port the packet was dropped on, so this is still a match.
    return { agreement: 'host', matched: hostMatch };
  }
  const namedSomewhere = destination.hosts.some((h) => !isIpAddress(h)) || destination.peerService !== undefined;
  if (namedSomewhere) {
    // The span names another destination; a shared port alone does not make it this one.
    return { agreement: 'mismatch' };
  }
  // Only addresses, none the dropped one: a Service ClusterIP is rewritten (DNAT) to the pod IP the network
  // saw, so a different address is no contradiction; the port decides.
  if (portMatch) {
    return { agreement: 'port', matched: `port ${endpoint.port}` };
  }
  return { agreement: portKnown ? 'mismatch' : 'unknown' };
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) {
    h = h.slice(1, -1);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function parseUrl(raw: string | undefined): URL | undefined {
  if (!raw) {
    return undefined;
  }
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
