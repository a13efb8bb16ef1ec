import { join } from 'node:path';
import { loadClusterFile } from '../kube/clusterFile';
import { explainConnection, PolicyInputError } from './explain';
import { parseCidr, parseIp, cidrContains } from './cidr';
import { selectorMatches } from './selectors';

const { snapshot } = loadClusterFile(join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml'));
const FRONTEND = 'shop/frontend-6d4b9c7f5-x2k8p';
const CHECKOUT = 'shop/checkout-5f8d7b6c9-q7w2e';
const PAYMENTS = 'shop/payments-7c9f6d8b4-m4n5b';

describe('explainConnection on the shop cluster', () => {
  test('ingress denial names the selecting policies, the peer and the port', () => {
    expect(explainConnection(snapshot, FRONTEND, PAYMENTS, 8443)).toEqual({
      allowed: false,
      egress: {
        allowed: true,
        policies: ['shop/frontend-egress'],
        reason: 'allowed by shop/frontend-egress egress rule 1',
      },
      ingress: {
        allowed: false,
        policies: ['shop/default-deny', 'shop/payments-allow-checkout'],
        reason: 'no rule in [shop/default-deny, shop/payments-allow-checkout] allows app=frontend (shop) on 8443/TCP',
      },
    });
  });

  test('a named port resolves on the destination pod; an endpoint no policy selects is allowed', () => {
    const e = explainConnection(snapshot, CHECKOUT, PAYMENTS, 8443, 'tcp');
    expect(e.allowed).toBe(true);
    expect(e.ingress.reason).toBe('allowed by shop/payments-allow-checkout ingress rule 1');
    expect(e.egress).toEqual({
      allowed: true,
      policies: [],
      reason: `no NetworkPolicy selects ${CHECKOUT} for egress`,
    });
    expect(explainConnection(snapshot, CHECKOUT, PAYMENTS, 9090).ingress.allowed).toBe(false);
  });

  test('endPort ranges and namespaceSelector AND podSelector in one peer', () => {
    expect(explainConnection(snapshot, 'monitoring/prometheus-0', PAYMENTS, 9090).ingress.reason).toBe(
      'allowed by shop/payments-allow-checkout ingress rule 2'
    );
    expect(explainConnection(snapshot, 'monitoring/prometheus-0', PAYMENTS, 9101).allowed).toBe(false);
    // podSelector alone means the policy's namespace: checkout's port rule does not admit monitoring pods.
    expect(explainConnection(snapshot, 'monitoring/prometheus-0', PAYMENTS, 8443).allowed).toBe(false);
  });

  test('policyTypes default: egress rules make a policy Ingress and Egress, so frontend ingress is isolated', () => {
    const e = explainConnection(snapshot, CHECKOUT, FRONTEND, 8080);
    expect(e.ingress.policies).toEqual(['shop/default-deny', 'shop/frontend-egress']);
    expect(e.allowed).toBe(false);
  });

  test('the node-local exception: a pod’s own node, and host-network pods on it, may always connect', () => {
    const fromNode = explainConnection(snapshot, '192.168.10.2', PAYMENTS, 9090);
    expect(fromNode.egress.allowed).toBeNull();
    expect(fromNode.ingress).toMatchObject({
      allowed: true,
      reason: 'allowed: traffic from its own node node-b is always allowed',
    });
    const fromHostPod = explainConnection(snapshot, 'monitoring/node-exporter-8kq2t', PAYMENTS, 8443);
    expect(fromHostPod.egress.reason).toBe(
      'monitoring/node-exporter-8kq2t uses the host network; NetworkPolicy does not apply'
    );
    expect(fromHostPod.allowed).toBe(true);
    const otherNode = explainConnection(snapshot, '192.168.10.1', PAYMENTS, 8443);
    expect(otherNode.ingress.reason).toBe(
      'no rule in [shop/default-deny, shop/payments-allow-checkout] allows 192.168.10.1 (node node-a) on 8443/TCP'
    );
  });

  test('ipBlock with except, per-protocol port rules, and external ends that are not pods', () => {
    expect(explainConnection(snapshot, FRONTEND, '8.8.8.8', 443)).toMatchObject({
      allowed: true,
      egress: { allowed: true, reason: 'allowed by shop/frontend-egress egress rule 2' },
      ingress: { allowed: null, policies: [] },
    });
    expect(explainConnection(snapshot, FRONTEND, '10.1.2.3', 443).egress.reason).toBe(
      'no rule in [shop/frontend-egress] allows egress to 10.1.2.3 on 443/TCP'
    );
    expect(explainConnection(snapshot, FRONTEND, '169.254.169.254', 443).allowed).toBe(false);
    expect(explainConnection(snapshot, FRONTEND, '1.1.1.1', 53, 'UDP').egress.reason).toBe(
      'allowed by shop/frontend-egress egress rule 3'
    );
    expect(explainConnection(snapshot, FRONTEND, '1.1.1.1', 53, 'TCP').allowed).toBe(false);
  });

  test('an IP resolves to the pod that holds it; event endpoints work as references', () => {
    expect(explainConnection(snapshot, '10.42.0.12', '10.42.1.21', 8443).allowed).toBe(true);
    expect(
      explainConnection(
        snapshot,
        { ip: '10.42.0.11' },
        { ip: '10.42.1.21', namespace: 'shop', pod: 'payments-7c9f6d8b4-m4n5b' },
        8443
      ).allowed
    ).toBe(false);
  });

  test('bad input is a PolicyInputError naming the problem', () => {
    expect(() => explainConnection(snapshot, 'shop/nope', PAYMENTS, 80)).toThrow(
      new PolicyInputError('no pod shop/nope in the cluster')
    );
    expect(() => explainConnection(snapshot, 'nonsense', PAYMENTS, 80)).toThrow(PolicyInputError);
    expect(() => explainConnection(snapshot, FRONTEND, PAYMENTS, 0)).toThrow(/port 0/);
    expect(() => explainConnection(snapshot, FRONTEND, PAYMENTS, 80, 'ICMP')).toThrow(/ICMP/);
  });
});

describe('CIDR arithmetic', () => {
  test.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['192.168.1.7/32', '192.168.1.7', true],
    ['192.168.1.7/24', '192.168.1.200', true],
    ['fd00:10:244::/48', 'fd00:10:244:3::1', true],
    ['fd00:10:244::/48', 'fd00:10:245::1', false],
    ['::/0', '2001:db8::1', true],
    ['::ffff:10.0.0.0/104', '::ffff:10.9.8.7', true],
    ['2001:db8::/32', '10.0.0.1', false],
    ['10.0.0.0/8', 'fd00::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr)!, parseIp(ip)!)).toBe(expected);
  });

  test.each(['10.0.0.0/33', '10.0.0/8', 'fd00::/129', '10.0.0.0/8/1', 'banana', '10.0.0.0/x'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  test.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});
