// Grafana for the local stack, when an installed Grafana (server binary and built public/ assets) is present.
// Grafana cannot be built on this project's machines (deploy/stack/README.md says why), so it is found, not built:
// WIRETRACE_GRAFANA_HOME, or ~/.cache/wiretrace/grafana-<version>/.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_ROOT, DATA_DIR, DEPLOY_STACK_DIR, REPO_ROOT, RUN_DIR } from './paths.mjs';
import { BIND_ADDRESS, PORTS } from './servers.mjs';

export const GRAFANA_VERSION = '12.3.0';
export const GRAFANA_URL = `http://${BIND_ADDRESS}:${PORTS.grafana}`;
const PLUGIN_IDS = ['wiretrace-correlation-app', 'wiretrace-correlation-datasource'];

export function grafanaHome() {
  return process.env.WIRETRACE_GRAFANA_HOME ?? join(CACHE_ROOT, `grafana-${GRAFANA_VERSION}`);
}

/** Null when Grafana can run here; otherwise the reason it cannot. */
export function grafanaUnavailableReason() {
  const home = grafanaHome();
  if (!existsSync(join(home, 'bin', 'grafana'))) {
    return (
      `no Grafana install at ${home} (set WIRETRACE_GRAFANA_HOME); it cannot be built here: ` +
      'the Go module proxy refuses github.com/grafana/grafana (403 "This module version is not available") ' +
      'and its source snapshot (3.2 GB) is over the 500 MB repository fetch limit'
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
      `cfg:default.paths.provisioning=${localProvisioning(runDir)}`,
    ],
    env: {
      WIRETRACE_BIND_ADDRESS: BIND_ADDRESS,
      GF_SERVER_HTTP_PORT: String(PORTS.grafana),
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

// provisioning/ names the compose services (tempo, loki, …); the local stack serves them on loopback.
const COMPOSE_HOSTS = /\/\/(tempo|loki|prometheus|agent|wiretrace-agent|host\.docker\.internal)(?=[:/"'\s])/g;

function localProvisioning(runDir) {
  const dir = join(runDir, 'provisioning');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(REPO_ROOT, 'provisioning'), dir, { recursive: true });
  rewriteHosts(dir);
  return dir;
}

function rewriteHosts(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      rewriteHosts(path);
    } else if (/\.ya?ml$/.test(entry.name)) {
      writeFileSync(path, readFileSync(path, 'utf8').replace(COMPOSE_HOSTS, `//${BIND_ADDRESS}`));
    }
  }
}
