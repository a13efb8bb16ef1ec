// What a consumer of cluster changes implements: the identity resolver (and anything else that keeps state per
// object) is fed the same way by the cluster file loader and by the live informers.
import type { ClusterResource, ClusterSnapshot } from './model';

export type ClusterObject<R extends ClusterResource> = ClusterSnapshot[R][number];

export interface ClusterObserver {
  upsert<R extends ClusterResource>(resource: R, object: ClusterObject<R>, atUs: number): void;
  remove<R extends ClusterResource>(resource: R, object: ClusterObject<R>, atUs: number): void;
}
