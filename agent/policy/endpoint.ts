// One end of a connection, resolved against the cluster for policy evaluation.
import type { V1Pod } from '@kubernetes/client-node';
import type { IpAddress } from './cidr';
import type { Labels } from './selectors';

export interface PolicyEndpoint {
  ip?: string;
  address?: IpAddress;
  pod?: V1Pod;
  // The pod's namespace/name, when the endpoint is a pod.
  podKey?: string;
  namespace?: string;
  labels: Labels;
  namespaceLabels: Labels;
  hostNetwork: boolean;
  // The node the pod runs on, or the node that owns this IP.
  node?: string;
  isNodeAddress: boolean;
}
