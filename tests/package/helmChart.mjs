// Lints and renders the agent's Helm chart with helm itself, then checks the rendered objects against the Kubernetes
// schema and against deploy/kubernetes/ (same read-only RBAC, same capabilities, headless Service, token Secret).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parse, parseAllDocuments } from 'yaml';

export const CHART = 'deploy/helm/wiretrace-agent';
const MODELS = { DaemonSet, ConfigMap, Secret, Service, ServiceAccount, ClusterRole, ClusterRoleBinding };

function helm(binary, args) {
  const out = spawnSync(binary, args, { encoding: 'utf8' });
  return {
    ok: out.status === 0,
    stdout: out.stdout,
    problem: `helm ${args[0]} exit ${out.status}: ${(out.stderr || out.stdout).trim().slice(-800)}`,
  };
}

function render(binary, values) {
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const out = helm(binary, ['template', 'wiretrace', CHART, '--namespace', 'wiretrace', ...sets]);
  if (!out.ok) {
    throw new Error(out.problem);
  }
  return parseAllDocuments(out.stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
}

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const agentConfig = (objects) => parse(byKind(objects, 'ConfigMap')[0].data['agent.yaml']);

export function checkHelmChart(checks, binary) {
  const lint = helm(binary, ['lint', '--strict', CHART]);
  checks.check('helm lint --strict passes on the chart', lint.ok ? [] : [lint.problem]);

  let objects = [];
  try {
    objects = render(binary, {});
    checks.check('helm template renders the chart with its defaults', []);
  } catch (err) {
    checks.check('helm template renders the chart with its defaults', [err.message]);
    return;
  }
  const kinds = objects.map((o) => o.kind).sort();
  const expected = [
    'ClusterRole',
    'ClusterRoleBinding',
    'ConfigMap',
    'DaemonSet',
    'Secret',
    'Service',
    'ServiceAccount',
  ];
  checks.check(
    'it renders the agent DaemonSet, RBAC, ConfigMap, Service and token Secret',
    JSON.stringify(kinds) === JSON.stringify(expected) ? [] : [`kinds: ${kinds.join(', ')}`]
  );
  checks.check(
    'every rendered object is valid against the Kubernetes schema',
    objects.flatMap((o) => {
      try {
        new MODELS[o.kind](o).validate();
        return [];
      } catch (err) {
        return [`${o.kind}/${o.metadata?.name}: ${err.message}`];
      }
    })
  );

  const plainRbac = parseAllDocuments(readFileSync('deploy/kubernetes/rbac.yaml', 'utf8')).map((d) => d.toJS());
  const plainRules = plainRbac.find((o) => o.kind === 'ClusterRole').rules;
  const rules = byKind(objects, 'ClusterRole')[0].rules;
  checks.check(
    'the ClusterRole is the read-only one of deploy/kubernetes/ (get/list/watch only)',
    JSON.stringify(rules) === JSON.stringify(plainRules) &&
      rules.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)))
      ? []
      : [`rules: ${JSON.stringify(rules)}`]
  );

  const plainDaemonSet = parse(readFileSync('deploy/kubernetes/daemonset.yaml', 'utf8'));
  const daemonSet = byKind(objects, 'DaemonSet')[0];
  const container = daemonSet.spec.template.spec.containers[0];
  const plainContainer = plainDaemonSet.spec.template.spec.containers[0];
  checks.check(
    'the DaemonSet runs on the host network with the same two capabilities as deploy/kubernetes/',
    daemonSet.spec.template.spec.hostNetwork === true &&
      JSON.stringify(container.securityContext) === JSON.stringify(plainContainer.securityContext)
      ? []
      : [`securityContext: ${JSON.stringify(container.securityContext)}`]
  );
  const service = byKind(objects, 'Service')[0];
  checks.check(
    'the Service is headless',
    service.spec.clusterIP === 'None' ? [] : [`clusterIP ${service.spec.clusterIP}`]
  );

  const secret = byKind(objects, 'Secret')[0];
  const tokenVolume = daemonSet.spec.template.spec.volumes.find((v) => v.name === 'token');
  const config = agentConfig(objects);
  checks.check(
    'the agent reads its token from the chart Secret, and exports to the Loki URL of the values',
    tokenVolume.secret.secretName === secret.metadata.name &&
      Buffer.from(secret.data.token, 'base64').length >= 32 &&
      config.api.tokenFile.startsWith(container.volumeMounts.find((m) => m.name === 'token').mountPath) &&
      config.export.loki.url === 'http://loki.observability.svc:3100' &&
      config.export.otlp === undefined
      ? []
      : [`secret ${secret.metadata.name}, volume ${JSON.stringify(tokenVolume)}, config ${JSON.stringify(config)}`]
  );

  const custom = render(binary, {
    'export.otlp.enabled': 'true',
    'export.otlp.url': 'http://tempo.observability.svc:4318',
    'export.loki.tenant': 'team-a',
    'token.existingSecret': 'my-agent-token',
  });
  const customConfig = agentConfig(custom);
  const customVolume = byKind(custom, 'DaemonSet')[0].spec.template.spec.volumes.find((v) => v.name === 'token');
  checks.check(
    'values set the OTLP endpoint, the Loki tenant and an existing token Secret',
    customConfig.export.otlp?.url === 'http://tempo.observability.svc:4318' &&
      customConfig.export.loki.tenant === 'team-a' &&
      customVolume.secret.secretName === 'my-agent-token' &&
      byKind(custom, 'Secret').length === 0
      ? []
      : [`config ${JSON.stringify(customConfig.export)}, token volume ${JSON.stringify(customVolume)}`]
  );

  const noUrl = helm(binary, ['template', 'wiretrace', CHART, '--set', 'export.otlp.enabled=true']);
  checks.check(
    'OTLP export without a URL is refused with a message naming the value',
    !noUrl.ok && /export\.otlp\.url is required/.test(noUrl.problem) ? [] : [noUrl.ok ? 'it rendered' : noUrl.problem]
  );
}
