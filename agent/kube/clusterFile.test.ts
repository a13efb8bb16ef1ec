import { ClusterFileError, loadClusterFile, parseClusterText, parseClusterYaml } from './clusterFile';

test('multi-document YAML and nested Lists become one snapshot', () => {
  const { snapshot, ignored } = parseClusterYaml(`
apiVersion: v1
kind: Pod
metadata: { name: a, namespace: x }
---
apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Namespace, metadata: { name: x } }
  - apiVersion: v1
    kind: PodList
    items: [{ apiVersion: v1, kind: Pod, metadata: { name: b, namespace: x } }]
  - { apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: p, namespace: x }, spec: { podSelector: {} } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c, namespace: x } }
---
`);
  expect(snapshot.pods.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
  expect(snapshot.namespaces).toHaveLength(1);
  expect(snapshot.networkPolicies).toHaveLength(1);
  expect(ignored).toEqual({ ConfigMap: 1 });
});

test.each([
  ['apiVersion: v1\nkind: Pod\nmetadata: { name: a\n', /cluster file line \d+:/],
  ['- just\n- a list\n', /expected Kubernetes objects, found a list/],
  ['apiVersion: v1\nmetadata: { name: a }\n', /an object without "kind"/],
])('malformed input is a ClusterFileError naming the problem: %j', (text, message) => {
  expect(() => parseClusterYaml(text)).toThrow(ClusterFileError);
  expect(() => parseClusterYaml(text)).toThrow(message);
});

test('a missing file names the path', () => {
  expect(() => loadClusterFile('/nonexistent/cluster.yaml')).toThrow(
    'cannot read cluster file /nonexistent/cluster.yaml: no such file'
  );
});

test('an alias bomb is refused as a cluster file error naming the source', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) {
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`
    );
  }
  expect(() => parseClusterYaml(lines.join('\n'), 'laughs.yaml')).toThrow(
    new ClusterFileError('laughs.yaml: Excessive alias count indicates a resource exhaustion attack')
  );
});

test('kubectl -o json is read as JSON, and the YAML bound does not apply to it', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop' },
    status: { podIP: '10.0.0.5' },
  };
  const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod, { kind: 'ConfigMap' }] });
  const { snapshot, ignored } = parseClusterText(json, 'cluster.json', 16);
  expect(snapshot.pods.map((p) => p.metadata?.name)).toEqual(['web-1']);
  expect(ignored).toEqual({ ConfigMap: 1 });
  expect(() => parseClusterText(`kind: List\nitems: []\n${' '.repeat(64)}`, 'cluster.yaml', 16)).toThrow(
    /cluster file cluster.yaml is \d+ bytes of YAML, over the YAML limit of 16/
  );
});
