// The deploy manifests: valid against the Kubernetes OpenAPI schema (kubernetes-models validators), and saying
// what the agent needs: read-only RBAC on exactly its six resources, two capabilities, a config the agent parses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parseAgentConfig } from '../../agent/config';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'apps/v1/DaemonSet': DaemonSet,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
};

const manifests: Manifest[] = readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(__dirname, f), 'utf8')).map((d) => d.toJS() as Manifest));

function find<T>(kind: string): T & Manifest {
  const found = manifests.find((m) => m.kind === kind);
  if (!found) {
    throw new Error(`no ${kind} in deploy/kubernetes`);
  }
  return found as T & Manifest;
}

test.each(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))(
  '%s is valid against the OpenAPI schema',
  (_name, manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    expect(Model).toBeDefined();
    expect(() => new Model(manifest as never).validate()).not.toThrow();
  }
);

test('the validator rejects a malformed manifest', () => {
  const broken = structuredClone(find<DaemonSet>('DaemonSet'));
  (broken.spec!.template.spec!.containers[0].ports![0] as { containerPort: unknown }).containerPort = 'api';
  expect(() => new DaemonSet(broken).validate()).toThrow(/containerPort must be integer/);
});

test('every manifest is listed in the kustomization', () => {
  const kustomization = parseAllDocuments(readFileSync(join(__dirname, 'kustomization.yaml'), 'utf8'))[0].toJS() as {
    resources: string[];
  };
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  expect([...kustomization.resources].sort()).toEqual(files.sort());
});

test('RBAC is read-only: get/list/watch on exactly pods, services, endpointslices, namespaces, nodes, networkpolicies', () => {
  const role = find<ClusterRole>('ClusterRole');
  const granted = role.rules!.flatMap((rule) => {
    expect([...rule.verbs].sort()).toEqual(['get', 'list', 'watch']);
    return rule.apiGroups!.flatMap((group) => rule.resources!.map((resource) => `${group}/${resource}`));
  });
  expect(granted.sort()).toEqual(
    [
      '/namespaces',
      '/nodes',
      '/pods',
      '/services',
      'discovery.k8s.io/endpointslices',
      'networking.k8s.io/networkpolicies',
    ].sort()
  );
  const binding = find<ClusterRoleBinding>('ClusterRoleBinding');
  const account = find<ServiceAccount>('ServiceAccount');
  expect(binding.roleRef).toEqual({
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: role.metadata.name,
  });
  expect(binding.subjects).toEqual([
    { kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace },
  ]);
  expect(find<DaemonSet>('DaemonSet').spec!.template.spec!.serviceAccountName).toBe(account.metadata.name);
});

test('the DaemonSet runs on the host network with NET_RAW and NET_ADMIN only, bounded resources and a /healthz readiness probe', () => {
  const pod = find<DaemonSet>('DaemonSet').spec!.template.spec!;
  expect(pod.hostNetwork).toBe(true);
  const [container] = pod.containers;
  expect(container.securityContext?.capabilities).toEqual({ drop: ['ALL'], add: ['NET_RAW', 'NET_ADMIN'] });
  expect(container.securityContext?.privileged).toBeFalsy();
  expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
  expect(container.resources?.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
  expect(container.resources?.limits).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
  expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'api' });
  expect(container.ports?.map((p) => p.name)).toContain('api');
});

test('config comes from the ConfigMap, the token from a Secret, and the agent parses the config', () => {
  const pod = find<DaemonSet>('DaemonSet').spec!.template.spec!;
  const [container] = pod.containers;
  const configMap = find<ConfigMap>('ConfigMap');
  const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
  const mountOf = (volume: string) => container.volumeMounts!.find((m) => m.name === volume)!.mountPath;

  const configVolume = Object.values(volumes).find((v) => v.configMap?.name === configMap.metadata.name)!;
  expect(configVolume).toBeDefined();
  const configPath = container.args![container.args!.indexOf('--config') + 1];
  const [fileName] = Object.keys(configMap.data!);
  expect(configPath).toBe(`${mountOf(configVolume.name)}/${fileName}`);

  const config = parseAgentConfig(parseAllDocuments(configMap.data![fileName])[0].toJS(), 'configmap');
  const tokenVolume = Object.values(volumes).find((v) => v.secret)!;
  expect(tokenVolume.secret?.secretName).toBe('wiretrace-agent-token');
  expect(config.api.tokenFile?.startsWith(`${mountOf(tokenVolume.name)}/`)).toBe(true);
  expect(config.api.token).toBeUndefined();
  expect(String(config.api.listen).endsWith(`:${container.ports!.find((p) => p.name === 'api')!.containerPort}`)).toBe(
    true
  );
});

test('the Service selects the agent pods and targets the api port', () => {
  const service = find<Service>('Service');
  const template = find<DaemonSet>('DaemonSet').spec!.template;
  for (const [key, value] of Object.entries(service.spec!.selector!)) {
    expect(template.metadata!.labels![key]).toBe(value);
  }
  expect(service.spec!.ports!.map((p) => p.targetPort)).toEqual(['api']);
  const namespace = find<Namespace>('Namespace').metadata.name;
  for (const m of manifests.filter((m) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind))) {
    expect(m.metadata.namespace).toBe(namespace);
  }
});
