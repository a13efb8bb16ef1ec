// The compose demo in cluster-file mode: its containers are the cluster file's pods (same names and addresses),
// the agent reads that file, and the demo's drop (checkout → payments refunds) is explained, with a confirmed fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadAgentConfig } from '../../agent/config';
import { loadClusterFile } from '../../agent/kube/clusterFile';
import { objectKey, podIps } from '../../agent/kube/model';
import { explainConnection, suggestPolicyFix } from '../../agent/policy';

const ROOT = join(__dirname, '../..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8'));
const { snapshot } = loadClusterFile(join(__dirname, 'cluster.yaml'));
const DEMO_SERVICES = ['frontend', 'checkout', 'payments'];

test('each demo container is a pod of the cluster file, with the same name and address, on the fixed subnet', () => {
  const subnet = compose.networks.default.ipam.config[0].subnet as string;
  for (const name of DEMO_SERVICES) {
    const service = compose.services[name];
    const ip = service.networks.default.ipv4_address as string;
    const pod = snapshot.pods.find((p) => p.metadata?.name === service.hostname);
    expect({ name, pod: pod && objectKey(pod.metadata), ips: pod && podIps(pod) }).toEqual({
      name,
      pod: `demo/${service.hostname}`,
      ips: [ip],
    });
    expect(ip.startsWith(subnet.replace(/0\/24$/, ''))).toBe(true);
  }
});

test('the agent of the demo reads the cluster file compose mounts', () => {
  const mount = (compose.services.agent.volumes as string[]).find((v) => v.startsWith('./deploy/demo/cluster.yaml:'));
  const config = loadAgentConfig(join(__dirname, 'agent.yaml'));
  expect(mount?.split(':')[1]).toBe(config.clusterFile);
});

test('the demo drop is explained as the policy denying checkout on the refunds port; the fix allows it alone', () => {
  const [checkout, payments] = ['checkout', 'payments'].map((s) => `demo/${compose.services[s].hostname}`);
  const refunds = explainConnection(snapshot, checkout, payments, 8081);
  expect(refunds).toMatchObject({
    allowed: false,
    ingress: {
      policies: ['demo/payments-allow-checkout'],
      reason: 'no rule in [demo/payments-allow-checkout] allows app=checkout (demo) on 8081/TCP',
    },
  });
  expect(explainConnection(snapshot, checkout, payments, 8080).allowed).toBe(true);
  const frontend = `demo/${compose.services.frontend.hostname}`;
  expect(explainConnection(snapshot, frontend, checkout, 8080).allowed).toBe(true);
  const fix = suggestPolicyFix(snapshot, checkout, payments, 8081);
  expect(fix.confirmed).toBe(true);
  expect(fix.suggestions.map((s) => s.description)).toEqual([
    'create demo/payments-allow-checkout-8081-tcp: allow app=checkout (demo) into app=payments on 8081/TCP',
  ]);
});
