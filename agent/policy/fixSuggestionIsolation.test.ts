// Fix suggestions that must not isolate a pod nothing isolated before, and the shop cluster's denied payment.
import { join } from 'node:path';
import type { V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import { loadClusterFile } from '../kube/clusterFile';
import type { ClusterSnapshot } from '../kube/model';
import { explainConnection } from './explain';
import { applySuggestions, suggestPolicyFix } from './fixSuggestion';

const SHOP = join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml');

function pod(name: string, ip: string, labels: Record<string, string>): V1Pod {
  return {
    metadata: { namespace: 'shop', name, labels },
    spec: { nodeName: 'node-a', containers: [{ name: 'main' }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

function cluster(pods: V1Pod[], policies: V1NetworkPolicy[]): ClusterSnapshot {
  return {
    pods,
    namespaces: [{ metadata: { name: 'shop' } }],
    services: [],
    endpointSlices: [],
    nodes: [],
    networkPolicies: policies,
  };
}

test('shop: frontend refused by payments gets one narrow ingress policy, confirmed allowed', () => {
  const { snapshot } = loadClusterFile(SHOP);
  const from = 'shop/frontend-6d4b9c7f5-x2k8p';
  const to = 'shop/payments-7c9f6d8b4-m4n5b';
  const fix = suggestPolicyFix(snapshot, from, to, 8443, 'TCP');
  expect(fix.confirmed).toBe(true);
  expect(fix.suggestions).toHaveLength(1);
  const [s] = fix.suggestions;
  expect(s).toMatchObject({ direction: 'ingress', change: 'create', policy: 'shop/payments-allow-frontend-8443-tcp' });
  expect(s.description).toBe(
    'create shop/payments-allow-frontend-8443-tcp: allow app=frontend (shop) into app=payments on 8443/TCP'
  );
  expect(s.manifest).toEqual({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'payments-allow-frontend-8443-tcp', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'payments' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [{ port: 8443, protocol: 'TCP' }],
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
              podSelector: { matchLabels: { app: 'frontend' } },
            },
          ],
        },
      ],
    },
  });
  expect(s.yaml).toContain('kind: NetworkPolicy');
  const applied = applySuggestions(snapshot, fix.suggestions);
  expect(explainConnection(applied, from, to, 8443).allowed).toBe(true);
  // The frontend still cannot reach payments on another port.
  expect(explainConnection(applied, from, to, 9090).allowed).toBe(false);
});

test('an allowed flow gets no suggestion', () => {
  const { snapshot } = loadClusterFile(SHOP);
  const fix = suggestPolicyFix(snapshot, 'shop/checkout-5f8d7b6c9-q7w2e', 'shop/payments-7c9f6d8b4-m4n5b', 8443);
  expect(fix).toEqual({ confirmed: true, suggestions: [] });
});

describe('a pod the workload labels also select, that nothing isolated', () => {
  const payments = pod('payments-1', '10.0.0.2', { app: 'payments' });
  const canary = pod('payments-canary', '10.0.0.3', { app: 'payments', track: 'canary' });
  const frontend = pod('frontend-1', '10.0.0.1', { app: 'frontend' });
  const other = pod('other-1', '10.0.0.4', { app: 'other' });
  const isolateStable: V1NetworkPolicy = {
    metadata: { namespace: 'shop', name: 'payments-stable' },
    spec: {
      podSelector: { matchLabels: { app: 'payments' }, matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }] },
      policyTypes: ['Ingress'],
    },
  };

  test('is excluded from the new policy by a label it has and the pod lacks', () => {
    const c = cluster([payments, canary, frontend, other], [isolateStable]);
    const fix = suggestPolicyFix(c, 'shop/frontend-1', 'shop/payments-1', 8443);
    expect(fix.confirmed).toBe(true);
    expect(fix.suggestions[0].change).toBe('create');
    expect((fix.suggestions[0].manifest as { spec: { podSelector: unknown } }).spec.podSelector).toEqual({
      matchLabels: { app: 'payments' },
      matchExpressions: [{ key: 'track', operator: 'DoesNotExist' }],
    });
    const applied = applySuggestions(c, fix.suggestions);
    expect(explainConnection(applied, 'shop/frontend-1', 'shop/payments-1', 8443).allowed).toBe(true);
    expect(explainConnection(applied, 'shop/other-1', 'shop/payments-canary', 80).allowed).toBe(true);
  });

  test('differing only by a generated label, the rule goes into the policy that already isolates the pod', () => {
    const stable = pod('payments-2', '10.0.0.2', { app: 'payments', 'pod-template-hash': 'new' });
    const old = pod('payments-3', '10.0.0.3', { app: 'payments', 'pod-template-hash': 'old' });
    const isolateNew: V1NetworkPolicy = {
      metadata: { namespace: 'shop', name: 'payments-new' },
      spec: { podSelector: { matchLabels: { 'pod-template-hash': 'new' } }, policyTypes: ['Ingress'] },
    };
    const c = cluster([stable, old, frontend, other], [isolateNew]);
    const fix = suggestPolicyFix(c, 'shop/frontend-1', 'shop/payments-2', 8443);
    expect(fix.confirmed).toBe(true);
    expect(fix.suggestions).toHaveLength(1);
    expect(fix.suggestions[0]).toMatchObject({ change: 'edit', policy: 'shop/payments-new' });
    const applied = applySuggestions(c, fix.suggestions);
    expect(applied.networkPolicies).toHaveLength(1);
    expect(explainConnection(applied, 'shop/frontend-1', 'shop/payments-2', 8443).allowed).toBe(true);
    expect(explainConnection(applied, 'shop/other-1', 'shop/payments-3', 80).allowed).toBe(true);
    expect(explainConnection(applied, 'shop/other-1', 'shop/payments-2', 8443).allowed).toBe(false);
  });
});
