// The agent API's `/api/v1/pods` page: the pods whose traffic an agent's node carries, by which the backend
// routes a pod or namespace query to the agents that hold its events.

export const HOSTED_PODS_PATH = '/api/v1/pods';

export interface HostedPod {
  namespace?: string;
  name: string;
}

export interface HostedPodsPage {
  // The node the agent runs on (its `node` setting).
  node: string;
  // Pods on this node that appear in the agent's window, as identity placed them (an endpoint's `node`).
  pods: HostedPod[];
  // Events in the window that name a pod without its node: the agent cannot say where those pods live, so a
  // reader must ask it about every pod.
  podsWithoutNode: number;
}
