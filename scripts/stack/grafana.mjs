// Grafana for the local stack, when an installed Grafana (server binary and built public/ assets) is present.
// Grafana is AGPL-licensed: the project never fetches or builds it, so it is the user's own install, found at
// WIRETRACE_GRAFANA_HOME, or ~/.cache/wiretrace/grafana-<version>/.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_ROOT, DATA_DIR, DEPLOY_STACK_DIR, REPO_ROOT, RUN_DIR } from './paths.mjs';
import { BIND_ADDRESS, DEFAULT_PORTS } from './servers.mjs';

export const GRAFANA_VERSION = '12.3.0';
export const GRAFANA_URL = `http://${BIND_ADDRESS}:${DEFAULT_PORTS.grafana}`;
const PLUGIN_IDS = ['wiretrace-correlation-app', 'wiretrace-correlation-datasource'];

export function grafanaHome() {
  return process.env.WIRETRACE_GRAFANA_HOME ?? join(CACHE_ROOT, `grafana-${GRAFANA_VERSION}`);
}

/** Null when Grafana can run here; otherwise the reason it cannot. */
export function grafanaUnavailableReason() {
  const home = grafanaHome();
  if (!existsSync(join(home, 'bin', 'grafana'))) {
    return (
      `no Grafana install at ${home} (set WIRETRACE_GRAFANA_HOME to your own install; ` +
      'Grafana is AGPL-licensed, so this project never fetches or builds it)'
    );
  }
  if (!existsSync(join(home, 'public', 'build'))) {
    return `${home} has no built frontend assets (public/build)`;
  }
  if (!existsSync(join(REPO_ROOT, 'dist', 'plugin.json'))) {
    return 'the plugin is not built (dist/plugin.json missing): run npm run build';
  }
  return null;
}

/** @returns {import('./processes.mjs').ServerSpec} */
export function grafanaServer() {
  const home = grafanaHome();
  const runDir = join(RUN_DIR, 'grafana');
  const dataDir = join(DATA_DIR, 'grafana');
  mkdirSync(dataDir, { recursive: true });
  return {
    name: 'grafana',
    command: join(home, 'bin', 'grafana'),
    args: [
      'server',
      `--homepath=${home}`,
      `--config=${join(DEPLOY_STACK_DIR, 'grafana.ini')}`,
      `cfg:default.paths.data=${dataDir}`,
      `cfg:default.paths.logs=${join(runDir, 'logs')}`,
      `cfg:default.paths.plugins=${pluginsDir(runDir)}`,
      `cfg:default.paths.provisioning=${join(REPO_ROOT, 'provisioning')}`,
    ],
    env: {
      WIRETRACE_BIND_ADDRESS: BIND_ADDRESS,
      // provisioning/ reads where the upstreams are from these (see provisioning/README.md).
      // Tempo and Loki are the user's own; the stack starts neither.
      WIRETRACE_TEMPO_URL: process.env.WIRETRACE_TEMPO_URL ?? `http://${BIND_ADDRESS}:3200`,
      WIRETRACE_LOKI_URL: process.env.WIRETRACE_LOKI_URL ?? `http://${BIND_ADDRESS}:3100`,
      WIRETRACE_PROMETHEUS_URL: process.env.WIRETRACE_PROMETHEUS_URL ?? `http://${BIND_ADDRESS}:9090`,
      WIRETRACE_AGENT_URL: process.env.WIRETRACE_AGENT_URL ?? `http://${BIND_ADDRESS}:9470`,
      WIRETRACE_AGENT_TOKEN: process.env.WIRETRACE_AGENT_TOKEN ?? '',
      GF_SERVER_HTTP_PORT: String(DEFAULT_PORTS.grafana),
      GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS: PLUGIN_IDS.join(','),
    },
    cwd: home,
    readyUrl: `${GRAFANA_URL}/api/health`,
    endpoints: [['Grafana', GRAFANA_URL]],
  };
}

// Grafana scans a directory of plugin folders; dist/ is one plugin folder.
function pluginsDir(runDir) {
  const dir = join(runDir, 'plugins');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(REPO_ROOT, 'dist'), join(dir, PLUGIN_IDS[0]));
  return dir;
}
