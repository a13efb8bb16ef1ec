// The fix suggestion on every upstream case: for each denied pod-to-pod flow, the suggested change applied to the
// cluster allows that flow and leaves the verdict of every other flow of the case as it was.
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../kube/model';
import { explainConnection } from './explain';
import { applySuggestions, suggestPolicyFix } from './fixSuggestion';
import { buildCluster, upstreamCases, type UpstreamCase } from '../testkit/upstreamCases';

interface Flow {
  from: string;
  to: string;
  port: number;
  protocol: string;
}

function flowsOf(c: UpstreamCase): Flow[] {
  const ends = [...c.pods, ...(c.extraPods ?? []).map((p) => p.key)];
  return c.probes.flatMap((probe) => [
    ...ends.flatMap((from) =>
      ends.filter((to) => to !== from).map((to) => ({ from, to, port: probe.port, protocol: probe.protocol }))
    ),
    ...(probe.connections ?? []).map(({ from, to }) => ({ from, to, port: probe.port, protocol: probe.protocol })),
  ]);
}

const key = (f: Flow) => `${f.from} -> ${f.to} ${f.port}/${f.protocol}`;

function verdicts(cluster: ClusterSnapshot, flows: Flow[]): Map<string, boolean> {
  return new Map(flows.map((f) => [key(f), explainConnection(cluster, f.from, f.to, f.port, f.protocol).allowed]));
}

// Two ends a workload-label selector cannot tell apart (same namespace and labels, or one shared node address).
function sameWorkload(cluster: ClusterSnapshot, a: string, b: string): boolean {
  const pod = (ref: string): V1Pod | undefined =>
    cluster.pods.find((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === ref);
  const [pa, pb] = [pod(a), pod(b)];
  if (!pa || !pb) {
    return a === b;
  }
  if (pa.spec?.hostNetwork || pb.spec?.hostNetwork) {
    return pa.status?.podIP === pb.status?.podIP;
  }
  return (
    pa.metadata?.namespace === pb.metadata?.namespace &&
    JSON.stringify(pa.metadata?.labels) === JSON.stringify(pb.metadata?.labels)
  );
}

function ruleShapes(policy: V1NetworkPolicy): unknown[] {
  const spec = policy.spec as unknown as { ingress?: unknown[]; egress?: unknown[] };
  return [...(spec.ingress ?? []), ...(spec.egress ?? [])];
}

const denied = { flows: 0, suggested: 0 };

describe.each(upstreamCases)('%s', (_file, c) => {
  test(`${c.name}`, () => {
    const cluster = buildCluster(c);
    const flows = flowsOf(c);
    const before = verdicts(cluster, flows);
    const problems: string[] = [];
    for (const flow of flows) {
      const isPodToPod = cluster.pods.some((p) => `${p.metadata?.namespace}/${p.metadata?.name}` === flow.from);
      if (before.get(key(flow)) || !isPodToPod || !flow.to.includes('/')) {
        continue;
      }
      denied.flows++;
      const fix = suggestPolicyFix(cluster, flow.from, flow.to, flow.port, flow.protocol);
      if (!fix.confirmed || fix.suggestions.length === 0) {
        problems.push(`${key(flow)}: no confirmed suggestion`);
        continue;
      }
      denied.suggested++;
      for (const s of fix.suggestions) {
        const manifest = s.manifest as unknown as V1NetworkPolicy;
        // Narrow: the new rule names a peer and a port; nothing selects by a per-pod generated label.
        const added = ruleShapes(manifest).at(-1) as { ports?: unknown[]; from?: unknown[]; to?: unknown[] };
        if (!added.ports?.length || !(added.from ?? added.to)?.length) {
          problems.push(`${key(flow)}: ${s.policy} adds a rule without a peer or a port`);
        }
        if (/pod-template-hash/.test(s.yaml)) {
          problems.push(`${key(flow)}: ${s.policy} selects by pod-template-hash`);
        }
      }
      const after = verdicts(applySuggestions(cluster, fix.suggestions), flows);
      if (!after.get(key(flow))) {
        problems.push(`${key(flow)}: still denied with ${fix.suggestions.map((s) => s.description).join('; ')}`);
      }
      for (const other of flows) {
        const equivalent =
          other.port === flow.port &&
          other.protocol === flow.protocol &&
          sameWorkload(cluster, other.from, flow.from) &&
          sameWorkload(cluster, other.to, flow.to);
        if (!equivalent && after.get(key(other)) !== before.get(key(other))) {
          problems.push(
            `${key(flow)}: ${fix.suggestions.map((s) => s.description).join('; ')} changes ${key(other)} to ${after.get(key(other))}`
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

test('the cases exercise the suggestion on many denied flows, each confirmed', () => {
  expect(denied.flows).toBeGreaterThan(100);
  expect(denied.suggested).toBe(denied.flows);
});
