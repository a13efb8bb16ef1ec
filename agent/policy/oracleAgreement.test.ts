// Property test: on generated policies over the upstream x/y/z × a/b/c model, explainConnection agrees with an
// independent evaluator — cyclonus' matcher (the engine policy-assistant grew from), built with Go from the module
// proxy by tests/fixtures/netpol/oracle and cached under ~/.cache/wiretrace/. An oracle that cannot be built fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type {
  V1IPBlock,
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1NetworkPolicyPort,
  V1Pod,
} from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../kube/model';
import { explainConnection } from './explain';
import { applySuggestions, suggestPolicyFix } from './fixSuggestion';

const ORACLE_SOURCE = join(__dirname, '../../tests/fixtures/netpol/oracle');
const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const APP: Record<string, string> = { a: 'web', b: 'web', c: 'db' };
const EXTERNAL = ['192.168.1.5', '8.8.8.8'];
const PROBES: Array<[number, 'TCP' | 'UDP']> = [
  [80, 'TCP'],
  [81, 'TCP'],
  [80, 'UDP'],
];

function buildOracle(): { path?: string; problem?: string } {
  if (spawnSync('go', ['version']).status !== 0) {
    return { problem: 'go is not installed' };
  }
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(readFileSync(join(ORACLE_SOURCE, file)));
  }
  const dir = join(homedir(), '.cache', 'wiretrace', `netpol-oracle-${hash.digest('hex').slice(0, 12)}`);
  const binary = join(dir, 'netpol-oracle');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const build = spawnSync('go', ['build', '-o', binary, '.'], {
      cwd: ORACLE_SOURCE,
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    if (build.status !== 0) {
      return {
        problem: `the oracle did not build (no module proxy?): ${(build.stderr || String(build.error)).split('\n')[0]}`,
      };
    }
  }
  return { path: binary };
}

const oracle = buildOracle();

// Every test that needs the oracle fails with the reason it could not be built; none is skipped.
function oraclePath(): string {
  if (!oracle.path) {
    throw new Error(`NetworkPolicy oracle unavailable, nothing can be compared: ${oracle.problem}`);
  }
  return oracle.path;
}

const podIp = (ns: string, pod: string) => `10.244.${NAMESPACES.indexOf(ns) + 1}.${PODS.indexOf(pod) + 1}`;
const podLabels = (pod: string) => ({ pod, app: APP[pod] });
const nsLabels = (ns: string) => ({ ns, 'kubernetes.io/metadata.name': ns });

function modelCluster(policies: V1NetworkPolicy[]): ClusterSnapshot {
  const pods: V1Pod[] = NAMESPACES.flatMap((namespace) =>
    PODS.map((name) => ({
      metadata: { namespace, name, labels: podLabels(name) },
      spec: {
        nodeName: 'node-1',
        containers: [80, 81].flatMap((port) =>
          ['TCP', 'UDP'].map((protocol) => ({
            name: `cont-${port}-${protocol.toLowerCase()}`,
            ports: [{ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol }],
          }))
        ),
      },
      status: { phase: 'Running', podIP: podIp(namespace, name) },
    }))
  );
  return {
    pods,
    namespaces: NAMESPACES.map((name) => ({ metadata: { name, labels: nsLabels(name) } })),
    services: [],
    endpointSlices: [],
    nodes: [],
    networkPolicies: policies,
  };
}

const podSelectorArb: fc.Arbitrary<V1LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({
    matchLabels: fc.oneof(
      fc.record({ pod: fc.constantFrom(...PODS) }),
      fc.record({ app: fc.constantFrom('web', 'db') })
    ),
  }),
  fc.record({
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom('pod', 'app'),
          operator: fc.constantFrom('In', 'NotIn'),
          values: fc.subarray(['a', 'b', 'c', 'web', 'db'], { minLength: 1 }),
        }),
        fc.record({ key: fc.constantFrom('pod', 'app', 'tier'), operator: fc.constantFrom('Exists', 'DoesNotExist') })
      ),
      { minLength: 1, maxLength: 2 }
    ),
  })
);

const namespaceSelectorArb: fc.Arbitrary<V1LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ ns: fc.constantFrom(...NAMESPACES) }) }),
  fc.record({
    matchExpressions: fc
      .constant(null)
      .chain(() =>
        fc
          .tuple(fc.constantFrom('In', 'NotIn'), fc.subarray(NAMESPACES, { minLength: 1 }))
          .map(([operator, values]) => [{ key: 'kubernetes.io/metadata.name', operator, values }])
      ),
  })
);

const ipBlockArb = fc.constantFrom<V1IPBlock>(
  { cidr: '10.244.0.0/16' },
  { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] },
  { cidr: '10.244.1.0/24', except: ['10.244.1.2/32'] },
  { cidr: '10.244.3.3/32' },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
  { cidr: '192.168.0.0/16' }
);

const peerArb: fc.Arbitrary<V1NetworkPolicyPeer> = fc.oneof(
  fc.record({ podSelector: podSelectorArb }),
  fc.record({ namespaceSelector: namespaceSelectorArb }),
  fc.record({ podSelector: podSelectorArb, namespaceSelector: namespaceSelectorArb }),
  fc.record({ ipBlock: ipBlockArb })
);

const portArb: fc.Arbitrary<V1NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: [] }),
  fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: ['port'] }),
  fc.record(
    { port: fc.constant(80), endPort: fc.constant(81), protocol: fc.constantFrom('TCP', 'UDP') },
    { requiredKeys: ['port', 'endPort'] }
  ),
  fc.record(
    { port: fc.constantFrom('serve-80-tcp', 'serve-81-tcp', 'serve-80-udp'), protocol: fc.constantFrom('TCP', 'UDP') },
    { requiredKeys: ['port'] }
  )
);

const peersArb = fc.option(fc.array(peerArb, { maxLength: 2 }), { nil: undefined });
const portsArb = fc.option(fc.array(portArb, { maxLength: 2 }), { nil: undefined });
const ingressRuleArb = fc.record({ from: peersArb, ports: portsArb }, { requiredKeys: [] });
const egressRuleArb = fc.record({ to: peersArb, ports: portsArb }, { requiredKeys: [] });

// policyTypes are explicit: cyclonus expects objects as the API server stores them, after defaulting.
const policyArb = fc
  .record({
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: podSelectorArb,
    types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
    ingress: fc.array(ingressRuleArb, { maxLength: 2 }),
    egress: fc.array(egressRuleArb, { maxLength: 2 }),
  })
  .map(({ namespace, podSelector, types, ingress, egress }): V1NetworkPolicy => ({
    metadata: { namespace, name: 'p' },
    spec: {
      podSelector,
      policyTypes: types,
      ...(types.includes('Ingress') ? { ingress } : {}),
      ...(types.includes('Egress') ? { egress } : {}),
    },
  }));

const casesArb = fc
  .array(fc.array(policyArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 1 })
  .map(([policies]) => policies.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } })));

interface End {
  ref: string;
  ip: string;
  internal?: { PodLabels: Record<string, string>; NamespaceLabels: Record<string, string>; Namespace: string };
  namedPort?: (port: number, protocol: string) => string;
}

const ENDS: End[] = [
  ...NAMESPACES.flatMap((ns) =>
    PODS.map((pod) => ({
      ref: `${ns}/${pod}`,
      ip: podIp(ns, pod),
      internal: { PodLabels: podLabels(pod), NamespaceLabels: nsLabels(ns), Namespace: ns },
      namedPort: (port: number, protocol: string) => `serve-${port}-${protocol.toLowerCase()}`,
    }))
  ),
  ...EXTERNAL.map((ip) => ({ ref: ip, ip })),
];

const FLOWS = ENDS.flatMap((from) =>
  ENDS.filter((to) => to !== from && (from.internal || to.internal)).map((to) => [from, to] as const)
);

describe('explainConnection agrees with the cyclonus matcher', () => {
  jest.setTimeout(120_000);

  test('the cyclonus oracle is built', () => {
    expect(existsSync(oraclePath())).toBe(true);
  });

  test('on generated policies, every pod pair and external peer, ports 80/81 TCP and 80 UDP', () => {
    const binary = oraclePath();
    const samples = fc.sample(casesArb, { numRuns: 150, seed: 20261121 });
    const input = samples.map((policies) => ({
      policies,
      traffic: PROBES.flatMap(([port, protocol]) =>
        FLOWS.map(([from, to]) => ({
          Source: { IP: from.ip, ...(from.internal ? { Internal: from.internal } : {}) },
          Destination: { IP: to.ip, ...(to.internal ? { Internal: to.internal } : {}) },
          ResolvedPort: port,
          ResolvedPortName: to.namedPort?.(port, protocol) ?? '',
          Protocol: protocol,
        }))
      ),
    }));
    const run = spawnSync(binary, [], {
      input: JSON.stringify(input),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    const verdicts = JSON.parse(run.stdout) as Array<Array<{ allowed: boolean; ingress: boolean; egress: boolean }>>;

    const disagreements: string[] = [];
    let compared = 0;
    samples.forEach((policies, i) => {
      const cluster = modelCluster(policies);
      let j = 0;
      for (const [port, protocol] of PROBES) {
        for (const [from, to] of FLOWS) {
          const want = verdicts[i][j++];
          const got = explainConnection(cluster, from.ref, to.ref, port, protocol);
          compared++;
          const ours = {
            allowed: got.allowed,
            ingress: got.ingress.allowed !== false,
            egress: got.egress.allowed !== false,
          };
          if (JSON.stringify(ours) !== JSON.stringify(want) && disagreements.length < 5) {
            disagreements.push(
              `${from.ref} -> ${to.ref} ${port}/${protocol}: ours ${JSON.stringify(ours)}, cyclonus ${JSON.stringify(want)}; ` +
                `${got.egress.reason}; ${got.ingress.reason}; policies ${JSON.stringify(policies)}`
            );
          }
        }
      }
    });
    expect(compared).toBe(samples.length * PROBES.length * FLOWS.length);
    expect(disagreements).toEqual([]);
  });
  // The fix suggestion judged by the independent matcher: applied, it allows the denied flow and changes no other.
  test('on generated policies, each suggested fix allows its flow and no other, by the cyclonus matcher', () => {
    const binary = oraclePath();
    const samples = fc.sample(casesArb, { numRuns: 60, seed: 20261203 });
    const traffic = PROBES.flatMap(([port, protocol]) => FLOWS.map(([from, to]) => ({ from, to, port, protocol })));
    const asOracleTraffic = traffic.map(({ from, to, port, protocol }) => ({
      Source: { IP: from.ip, ...(from.internal ? { Internal: from.internal } : {}) },
      Destination: { IP: to.ip, ...(to.internal ? { Internal: to.internal } : {}) },
      ResolvedPort: port,
      ResolvedPortName: to.namedPort?.(port, protocol) ?? '',
      Protocol: protocol,
    }));
    // Each sample as it is, then each sample with the fix of up to four of its denied pod-to-pod flows.
    const cases: Array<{ policies: V1NetworkPolicy[]; fixed?: number; base: number }> = [];
    samples.forEach((policies, base) => {
      cases.push({ policies, base });
      const cluster = modelCluster(policies);
      let fixes = 0;
      traffic.forEach(({ from, to, port, protocol }, k) => {
        if (fixes >= 4 || !from.internal || !to.internal) {
          return;
        }
        if (explainConnection(cluster, from.ref, to.ref, port, protocol).allowed) {
          return;
        }
        const fix = suggestPolicyFix(cluster, from.ref, to.ref, port, protocol);
        expect(fix.confirmed).toBe(true);
        cases.push({ policies: applySuggestions(cluster, fix.suggestions).networkPolicies, fixed: k, base });
        fixes++;
      });
    });
    const run = spawnSync(binary, [], {
      input: JSON.stringify(cases.map(({ policies }) => ({ policies, traffic: asOracleTraffic }))),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    const verdicts = JSON.parse(run.stdout) as Array<Array<{ allowed: boolean }>>;
    const baseVerdicts = new Map<number, Array<{ allowed: boolean }>>();
    cases.forEach((c, i) => c.fixed === undefined && baseVerdicts.set(c.base, verdicts[i]));
    const problems: string[] = [];
    let fixed = 0;
    cases.forEach((c, i) => {
      if (c.fixed === undefined) {
        return;
      }
      fixed++;
      const before = baseVerdicts.get(c.base)!;
      const name = (k: number) =>
        `${traffic[k].from.ref} -> ${traffic[k].to.ref} ${traffic[k].port}/${traffic[k].protocol}`;
      if (!verdicts[i][c.fixed].allowed) {
        problems.push(`${name(c.fixed)}: still denied by cyclonus after the fix`);
      }
      verdicts[i].forEach((v, k) => {
        if (k !== c.fixed && v.allowed !== before[k].allowed && problems.length < 10) {
          problems.push(`fixing ${name(c.fixed!)} changed ${name(k)} to ${v.allowed}`);
        }
      });
    });
    expect(fixed).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
