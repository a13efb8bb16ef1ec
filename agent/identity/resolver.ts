// IdentityResolver: IP + time → Kubernetes identity (pod, namespace, node, workload, service, labels).
// Pod IPs are time-versioned (IpTimeline); services, endpoint slices and nodes reflect the latest state.
import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Endpoint, NetworkEvent } from '../../model/events';
import type { ClusterObject, ClusterObserver } from '../kube/observer';
import {
  isHostNetwork,
  isTerminated,
  nodeIps,
  objectKey,
  podIps,
  type ClusterResource,
  type ClusterSnapshot,
} from '../kube/model';
import { IpTimeline } from './ipTimeline';
import { workloadOf } from './workload';

type PodIdentity = Omit<Endpoint, 'ip' | 'port'>;

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function microsOf(time: Date | string | undefined): number | undefined {
  if (time === undefined) {
    return undefined;
  }
  const ms = (time instanceof Date ? time : new Date(time)).getTime();
  return Number.isFinite(ms) ? ms * 1000 : undefined;
}

export class IdentityResolver implements ClusterObserver {
  private readonly pods = new IpTimeline<PodIdentity>();
  private readonly podIpsByKey = new Map<string, string[]>();
  private readonly serviceByClusterIp = new Map<string, { namespace: string; name: string }>();
  private readonly clusterIpsByService = new Map<string, string[]>();
  // pod IP → endpoint slice key → service name
  private readonly servicesByPodIp = new Map<string, Map<string, string>>();
  private readonly podIpsBySlice = new Map<string, string[]>();
  private readonly nodeByIp = new Map<string, string>();
  private readonly nodeIpsByName = new Map<string, string[]>();

  // Builds a resolver from a static snapshot (cluster file mode). Each IP's first holder is taken to have held it
  // since forever: a capture file may predate the snapshot, and there is no earlier holder to confuse it with.
  static fromSnapshot(snapshot: ClusterSnapshot): IdentityResolver {
    const resolver = new IdentityResolver();
    for (const service of snapshot.services) {
      resolver.upsert('services', service, 0);
    }
    for (const slice of snapshot.endpointSlices) {
      resolver.upsert('endpointSlices', slice, 0);
    }
    for (const node of snapshot.nodes) {
      resolver.upsert('nodes', node, 0);
    }
    const byStart = [...snapshot.pods].sort(
      (a, b) => (microsOf(a.status?.startTime) ?? 0) - (microsOf(b.status?.startTime) ?? 0)
    );
    const seen = new Set<string>();
    for (const pod of byStart) {
      if (isHostNetwork(pod)) {
        continue;
      }
      const key = objectKey(pod.metadata);
      const start = microsOf(pod.status?.startTime) ?? Number.NEGATIVE_INFINITY;
      for (const ip of podIps(pod)) {
        resolver.pods.assign(ip, key, resolver.identityOf(pod), seen.has(ip) ? start : Number.NEGATIVE_INFINITY);
        seen.add(ip);
        if (isTerminated(pod)) {
          resolver.pods.release(ip, key, finishedAt(pod) ?? start);
        }
      }
    }
    return resolver;
  }

  upsert<R extends ClusterResource>(resource: R, object: ClusterObject<R>, atUs: number): void {
    switch (resource) {
      case 'pods':
        return this.upsertPod(object as V1Pod, atUs);
      case 'services':
        return this.upsertService(object as V1Service);
      case 'endpointSlices':
        return this.upsertSlice(object as V1EndpointSlice);
      case 'nodes':
        return this.upsertNode(object as V1Node);
      default:
        // Namespaces and policies carry no identity of an IP.
        return;
    }
  }

  remove<R extends ClusterResource>(resource: R, object: ClusterObject<R>, atUs: number): void {
    const key = objectKey((object as { metadata?: { namespace?: string; name?: string } }).metadata);
    switch (resource) {
      case 'pods':
        for (const ip of this.podIpsByKey.get(key) ?? []) {
          this.pods.release(ip, key, atUs);
        }
        this.podIpsByKey.delete(key);
        return;
      case 'services':
        this.setServiceIps(key, []);
        return;
      case 'endpointSlices':
        this.setSliceIps(key, '', []);
        return;
      case 'nodes':
        this.setNodeIps(key, []);
        return;
      default:
        return;
    }
  }

  resolve(ip: string, atUs?: number): Endpoint {
    const pod = this.pods.lookup(ip, atUs);
    if (pod) {
      const service = this.serviceOfPodIp(ip);
      return { ip, ...pod, ...(service ? { service } : {}) };
    }
    const service = this.serviceByClusterIp.get(ip);
    if (service) {
      return { ip, namespace: service.namespace, service: service.name };
    }
    const node = this.nodeByIp.get(ip);
    return node ? { ip, node } : { ip };
  }

  // Fills src and dst identity; fields the source already set (a Hubble flow names its pods) are kept.
  enrichEvent(event: NetworkEvent): NetworkEvent {
    return {
      ...event,
      src: this.enrichEndpoint(event.src, event.time),
      dst: this.enrichEndpoint(event.dst, event.time),
    };
  }

  private enrichEndpoint(endpoint: Endpoint, atUs: number): Endpoint {
    const resolved = this.resolve(endpoint.ip, atUs);
    const known = Object.fromEntries(Object.entries(endpoint).filter(([, v]) => v !== undefined && v !== ''));
    return { ...resolved, ...known };
  }

  private identityOf(pod: V1Pod): PodIdentity {
    const identity: PodIdentity = {
      pod: pod.metadata?.name,
      namespace: pod.metadata?.namespace ?? 'default',
      labels: { ...(pod.metadata?.labels ?? {}) },
    };
    if (pod.spec?.nodeName) {
      identity.node = pod.spec.nodeName;
    }
    const workload = workloadOf(pod);
    if (workload) {
      identity.workload = workload;
    }
    return identity;
  }

  private upsertPod(pod: V1Pod, atUs: number): void {
    const key = objectKey(pod.metadata);
    const previous = this.podIpsByKey.get(key);
    // A host-network pod shares its node's IP: that IP identifies the node, not the pod.
    const ips = isTerminated(pod) || isHostNetwork(pod) ? [] : podIps(pod);
    for (const ip of previous ?? []) {
      if (!ips.includes(ip)) {
        this.pods.release(ip, key, atUs);
      }
    }
    // First sight of a running pod (an initial list): it has held its IP since it started, not since we looked.
    const started = microsOf(pod.status?.startTime);
    const start = previous === undefined && started !== undefined ? Math.min(started, atUs) : atUs;
    const identity = this.identityOf(pod);
    for (const ip of ips) {
      this.pods.assign(ip, key, identity, start);
    }
    this.podIpsByKey.set(key, ips);
  }

  private upsertService(service: V1Service): void {
    const ips = [
      ...(service.spec?.clusterIPs ?? []),
      ...(service.spec?.clusterIP ? [service.spec.clusterIP] : []),
    ].filter((ip) => ip && ip !== 'None');
    this.setServiceIps(objectKey(service.metadata), [...new Set(ips)]);
  }

  private setServiceIps(key: string, ips: string[]): void {
    for (const ip of this.clusterIpsByService.get(key) ?? []) {
      this.serviceByClusterIp.delete(ip);
    }
    const [namespace, name] = key.split('/');
    for (const ip of ips) {
      this.serviceByClusterIp.set(ip, { namespace, name });
    }
    this.clusterIpsByService.set(key, ips);
    if (ips.length === 0) {
      this.clusterIpsByService.delete(key);
    }
  }

  private upsertSlice(slice: V1EndpointSlice): void {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '';
    const ips = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    this.setSliceIps(objectKey(slice.metadata), service, service ? ips : []);
  }

  private setSliceIps(key: string, service: string, ips: string[]): void {
    for (const ip of this.podIpsBySlice.get(key) ?? []) {
      const services = this.servicesByPodIp.get(ip);
      services?.delete(key);
      if (services?.size === 0) {
        this.servicesByPodIp.delete(ip);
      }
    }
    for (const ip of ips) {
      const services = this.servicesByPodIp.get(ip) ?? new Map<string, string>();
      services.set(key, service);
      this.servicesByPodIp.set(ip, services);
    }
    if (ips.length > 0) {
      this.podIpsBySlice.set(key, ips);
    } else {
      this.podIpsBySlice.delete(key);
    }
  }

  // A pod behind several services is reported under the first by name, so the choice is stable.
  private serviceOfPodIp(ip: string): string | undefined {
    const services = this.servicesByPodIp.get(ip);
    return services ? [...new Set(services.values())].sort()[0] : undefined;
  }

  private upsertNode(node: V1Node): void {
    this.setNodeIps(node.metadata?.name ?? '', nodeIps(node));
  }

  private setNodeIps(name: string, ips: string[]): void {
    for (const ip of this.nodeIpsByName.get(name) ?? []) {
      this.nodeByIp.delete(ip);
    }
    for (const ip of ips) {
      this.nodeByIp.set(ip, name);
    }
    if (ips.length > 0) {
      this.nodeIpsByName.set(name, ips);
    } else {
      this.nodeIpsByName.delete(name);
    }
  }
}

function finishedAt(pod: V1Pod): number | undefined {
  const times = (pod.status?.containerStatuses ?? [])
    .map((s) => microsOf(s.state?.terminated?.finishedAt))
    .filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}
