// The workload that owns a pod, from its controller owner reference and the naming conventions controllers
// follow, so no ReplicaSet or Job watch is needed.
import type { V1Pod } from '@kubernetes/client-node';
import type { Workload } from '../../model/events';

// A CronJob names its Jobs <cronjob>-<scheduled time in minutes since the epoch>.
const CRONJOB_JOB_NAME = /^(.+)-(\d{8,})$/;

export function workloadOf(pod: V1Pod): Workload | undefined {
  const owners = pod.metadata?.ownerReferences ?? [];
  const owner = owners.find((o) => o.controller) ?? owners[0];
  if (!owner) {
    return undefined;
  }
  switch (owner.kind) {
    case 'ReplicaSet': {
      // A Deployment names its ReplicaSets <deployment>-<pod-template-hash>.
      const hash = pod.metadata?.labels?.['pod-template-hash'];
      if (hash && owner.name.endsWith(`-${hash}`)) {
        return { kind: 'Deployment', name: owner.name.slice(0, -(hash.length + 1)) };
      }
      return { kind: 'ReplicaSet', name: owner.name };
    }
    case 'Job': {
      const match = CRONJOB_JOB_NAME.exec(owner.name);
      return match ? { kind: 'CronJob', name: match[1] } : { kind: 'Job', name: owner.name };
    }
    case 'Node':
      // A static pod's mirror is "owned" by its node; the node is already in the identity.
      return undefined;
    default:
      return { kind: owner.kind, name: owner.name };
  }
}
