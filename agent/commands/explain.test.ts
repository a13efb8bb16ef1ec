// The `explain` subcommand end to end: the agent bundled as it ships, run as a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '../..');
const CLUSTER = join(ROOT, 'tests/fixtures/netpol/clusters/shop.yaml');
const agent = join(mkdtempSync(join(tmpdir(), 'wiretrace-agent-')), 'wiretrace-agent.cjs');

beforeAll(() => {
  buildSync({
    entryPoints: [join(ROOT, 'agent/main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    outfile: agent,
    logLevel: 'error',
  });
});

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [agent, 'explain', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('JSON output has exactly the documented shape', () => {
  const { code, stdout } = run(
    '--cluster',
    CLUSTER,
    '--from',
    'shop/frontend-6d4b9c7f5-x2k8p',
    '--to',
    'shop/payments-7c9f6d8b4-m4n5b',
    '--port',
    '8443'
  );
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual({
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

test('text output, IP endpoints and PORT/PROTO', () => {
  const { code, stdout } = run(
    '--cluster',
    CLUSTER,
    '--from',
    '10.42.0.11',
    '--to',
    '1.1.1.1',
    '--port',
    '53/udp',
    '--format',
    'text'
  );
  expect(code).toBe(0);
  expect(stdout).toBe(
    [
      '10.42.0.11 -> 1.1.1.1 53/UDP: ALLOWED',
      '  egress  allowed: allowed by shop/frontend-egress egress rule 3',
      '          policies: shop/frontend-egress',
      '  ingress not applicable: 1.1.1.1 is not a pod; NetworkPolicy does not apply',
      '',
    ].join('\n')
  );
});

test.each([
  [['--from', 'shop/nope', '--to', '10.42.0.11', '--port', '80'], 'no pod shop/nope in the cluster'],
  [['--from', '10.42.0.12', '--to', '10.42.0.11', '--port', '70000'], '--port "70000" is not PORT or PORT/PROTO'],
  [
    ['--from', '10.42.0.12', '--to', '10.42.0.11', '--port', '80/icmp'],
    'protocol "ICMP" is not one NetworkPolicy covers',
  ],
  [['--from', '10.42.0.12', '--port', '80'], '--to is required'],
  [['--from', 'a', '--to', 'b', '--port', '80', '--format', 'xml'], '--format must be json or text'],
])('bad input %j exits 2 with a clear message', (args, message) => {
  const { code, stderr, stdout } = run('--cluster', CLUSTER, ...args);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toContain(message);
});

test('a missing cluster file exits 2 and names the file', () => {
  const { code, stderr } = run(
    '--cluster',
    '/nonexistent/cluster.yaml',
    '--from',
    'a/b',
    '--to',
    'c/d',
    '--port',
    '80'
  );
  expect(code).toBe(2);
  expect(stderr).toContain('cannot read cluster file /nonexistent/cluster.yaml: no such file');
});

test('--suggest: the suggested manifest appended to the cluster file makes explain say allowed', () => {
  const endpoints = [
    '--from',
    'shop/frontend-6d4b9c7f5-x2k8p',
    '--to',
    'shop/payments-7c9f6d8b4-m4n5b',
    '--port',
    '8443',
  ];
  const denied = run('--cluster', CLUSTER, ...endpoints, '--suggest');
  expect(denied.code).toBe(0);
  const { allowed, suggestions } = JSON.parse(denied.stdout);
  expect(allowed).toBe(false);
  expect(suggestions).toHaveLength(1);
  expect(suggestions[0]).toMatchObject({
    direction: 'ingress',
    change: 'create',
    description:
      'create shop/payments-allow-frontend-8443-tcp: allow app=frontend (shop) into app=payments on 8443/TCP',
    manifest: { kind: 'NetworkPolicy', metadata: { name: 'payments-allow-frontend-8443-tcp', namespace: 'shop' } },
  });
  const fixed = join(mkdtempSync(join(tmpdir(), 'wiretrace-fix-')), 'cluster.yaml');
  writeFileSync(fixed, `${readFileSync(CLUSTER, 'utf8')}\n---\n${suggestions[0].yaml}`);
  const after = run('--cluster', fixed, ...endpoints, '--suggest');
  expect(JSON.parse(after.stdout)).toMatchObject({ allowed: true, suggestions: [] });
  const text = run('--cluster', CLUSTER, ...endpoints, '--suggest', '--format', 'text');
  expect(text.stdout).toContain('suggested fix (ingress): create shop/payments-allow-frontend-8443-tcp');
  expect(text.stdout).toContain('kind: NetworkPolicy');
});

test('without --suggest the JSON has no suggestions field', () => {
  const { stdout } = run('--cluster', CLUSTER, '--from', '10.42.0.11', '--to', '10.42.1.21', '--port', '8443');
  expect(JSON.parse(stdout)).not.toHaveProperty('suggestions');
});
