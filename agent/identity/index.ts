// Kubernetes identity of the IPs in network events.
//
//   IdentityResolver.fromSnapshot(snapshot)   cluster file mode (snapshot = agent/kube loadClusterFile(path).snapshot)
//   new IdentityResolver() as a ClusterWatcher observer   live mode (agent/assembly LiveClusterView): informers on
//                                             pods, services, endpointslices, namespaces, nodes, networkpolicies keep
//                                             the resolver current
//   resolver.resolve(ip, atUs?) → Endpoint    {ip, pod, namespace, node, workload {kind,name}, service, labels};
//                                             with a time, the pod that held the IP at that time (IPs are reused)
//   resolver.enrichEvent(event) → NetworkEvent  a copy with src/dst filled at event.time; fields already set are kept
export { IdentityResolver } from './resolver';
export { IpTimeline } from './ipTimeline';
export { workloadOf } from './workload';
