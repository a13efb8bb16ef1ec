// Label selector matching as metav1.LabelSelector defines it: matchLabels AND every matchExpression.
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';

export type Labels = Record<string, string>;

// An empty selector ({}) selects everything; an absent one is handled by the caller, where it means "no constraint".
export function selectorMatches(selector: V1LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) {
      return false;
    }
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, labels));
}

function requirementMatches(requirement: V1LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(labels[requirement.key]);
    case 'NotIn':
      return !has || !values.includes(labels[requirement.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An operator the API server would have rejected selects nothing rather than everything.
      return false;
  }
}

// Labels controllers add to every pod; they say nothing to a reader of a policy explanation.
const GENERATED_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'job-name',
]);

// The labels a pod shares with the rest of its workload: what a policy should select it by.
export function workloadLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !GENERATED_LABELS.has(key)));
}

export function describeLabels(labels: Labels): string {
  return Object.keys(labels)
    .filter((key) => !GENERATED_LABELS.has(key))
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
}
