import { join } from 'node:path';
import type { NetworkEvent } from '../../model/events';
import { loadClusterFile } from '../kube/clusterFile';
import { attachDropExplanation, explainDrop } from './dropExplanation';

const { snapshot } = loadClusterFile(join(__dirname, '../../tests/fixtures/netpol/clusters/shop.yaml'));

function drop(overrides: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    kind: 'drop',
    time: 1_763_700_000_000_000,
    transport: 'tcp',
    source: 'pcap',
    src: { ip: '10.42.0.11', port: 51234 },
    dst: { ip: '10.42.1.21', port: 8443 },
    drop: { reason: 'unanswered_syn', verdict: 'dropped' },
    ...overrides,
  };
}

test('a drop between pods gets the explanation of its destination port', () => {
  const event = drop();
  expect(attachDropExplanation(snapshot, event)).toBe(true);
  expect(event.drop?.policy).toMatchObject({
    allowed: false,
    ingress: {
      reason: 'no rule in [shop/default-deny, shop/payments-allow-checkout] allows app=frontend (shop) on 8443/TCP',
    },
  });
});

test('a denied drop carries the suggested fix, an allowed one none', () => {
  const denied = drop();
  attachDropExplanation(snapshot, denied);
  expect(denied.drop?.suggestions?.map((s) => s.description)).toEqual([
    'create shop/payments-allow-frontend-8443-tcp: allow app=frontend (shop) into app=payments on 8443/TCP',
  ]);
  const allowed = drop({ src: { ip: '10.42.0.12', pod: 'checkout-5f8d7b6c9-q7w2e', namespace: 'shop' } });
  attachDropExplanation(snapshot, allowed);
  expect(allowed.drop?.suggestions).toBeUndefined();
});

test('a denial lists every rule of the selecting policies and what of each did not match', () => {
  const event = drop();
  attachDropExplanation(snapshot, event);
  expect(event.drop?.policy?.ingress.rules).toEqual([
    {
      policy: 'shop/default-deny',
      rule: 0,
      peers: 'no peer',
      ports: 'no port',
      peerMatches: false,
      portMatches: false,
    },
    {
      policy: 'shop/payments-allow-checkout',
      rule: 1,
      peers: 'pods app=checkout in namespace shop',
      ports: 'https/TCP',
      peerMatches: false,
      portMatches: true,
    },
    {
      policy: 'shop/payments-allow-checkout',
      rule: 2,
      peers: 'pods app=prometheus in namespaces kubernetes.io/metadata.name=monitoring',
      ports: '9000-9100/TCP',
      peerMatches: false,
      portMatches: false,
    },
  ]);
  // The allowed direction is not itemised.
  expect(event.drop?.policy?.egress.rules).toBeUndefined();
});

test('identity already on the event is used to find the pods', () => {
  const event = drop({ src: { ip: '10.42.0.12', pod: 'checkout-5f8d7b6c9-q7w2e', namespace: 'shop' } });
  expect(explainDrop(snapshot, event)?.allowed).toBe(true);
});

test('non-drops, port-less and ICMP events, and unknown pods are left alone', () => {
  expect(explainDrop(snapshot, drop({ kind: 'flow' }))).toBeUndefined();
  expect(explainDrop(snapshot, drop({ dst: { ip: '10.42.1.21' } }))).toBeUndefined();
  expect(explainDrop(snapshot, drop({ transport: 'icmp' }))).toBeUndefined();
  const unknown = drop({ src: { ip: 'not-an-ip', pod: 'gone', namespace: 'shop' } });
  expect(attachDropExplanation(snapshot, unknown)).toBe(false);
  expect(unknown.drop?.policy).toBeUndefined();
});
