// Kubernetes identity of the IPs in network events.
//
//   IdentityResolver.fromSnapshot(snapshot)  cluster file mode (agent/kube loadClusterFile(path).snapshot)
//   new IdentityResolver() + ClusterWatcher   live mode: `new ClusterWatcher(kubeConfig, { observers: [resolver] })`
//                                             feeds it pod/service/endpointslice/node changes from informers
//   resolver.resolve(ip, atUs?) → Endpoint    {ip, pod, namespace, node, workload {kind,name}, service, labels};
//                                             with a time, the pod that held the IP at that time (IPs are reused)
//   resolver.enrichEvent(event) → NetworkEvent  src/dst filled at event.time; fields already set are kept
export { IdentityResolver } from './resolver';
export { IpTimeline } from './ipTimeline';
export { workloadOf } from './workload';
