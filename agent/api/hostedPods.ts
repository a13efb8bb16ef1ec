// Which pods live on this agent's node, read from its window: every endpoint identity placed on this node.
import type { NetworkEvent } from '../../model/events';
import type { HostedPod, HostedPodsPage } from '../../model/hostedPods';

export function hostedPodsPage(node: string, events: Iterable<NetworkEvent>): HostedPodsPage {
  const pods = new Map<string, HostedPod>();
  let podsWithoutNode = 0;
  for (const event of events) {
    for (const end of [event.src, event.dst]) {
      if (!end.pod) {
        continue;
      }
      if (end.node === undefined) {
        podsWithoutNode++;
      } else if (end.node === node) {
        const key = `${end.namespace ?? ''}/${end.pod}`;
        if (!pods.has(key)) {
          pods.set(key, end.namespace ? { namespace: end.namespace, name: end.pod } : { name: end.pod });
        }
      }
    }
  }
  return { node, pods: [...pods.values()], podsWithoutNode };
}
