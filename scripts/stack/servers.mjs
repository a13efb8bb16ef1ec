// How each server of the local stack is started: binary, flags, loopback ports, data dir. The integration tests
// start the same servers on ports of their own through these functions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, DEPLOY_STACK_DIR } from './paths.mjs';

export const BIND_ADDRESS = '127.0.0.1';

export const DEFAULT_PORTS = {
  jaegerQueryHttp: 16686,
  jaegerQueryGrpc: 16685,
  jaegerOtlpGrpc: 4317,
  jaegerOtlpHttp: 4318,
  victoriaLogs: 9428,
  prometheus: 9090,
  grafana: 3000,
};

/**
 * Jaeger v2 with in-memory traces; its config is deploy/stack/jaeger.yaml.
 * @returns {import('./processes.mjs').ServerSpec}
 */
export function jaegerServer(binary, ports = DEFAULT_PORTS, name = 'jaeger') {
  const queryUrl = `http://${BIND_ADDRESS}:${ports.jaegerQueryHttp}`;
  return {
    name,
    command: binary,
    args: [`--config=${join(DEPLOY_STACK_DIR, 'jaeger.yaml')}`],
    env: {
      WIRETRACE_BIND_ADDRESS: BIND_ADDRESS,
      JAEGER_QUERY_HTTP_PORT: String(ports.jaegerQueryHttp),
      JAEGER_QUERY_GRPC_PORT: String(ports.jaegerQueryGrpc),
      JAEGER_OTLP_GRPC_PORT: String(ports.jaegerOtlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(ports.jaegerOtlpHttp),
    },
    readyUrl: `${queryUrl}/api/services`,
    endpoints: [
      ['Jaeger query', queryUrl],
      ['Jaeger gRPC', `http://${BIND_ADDRESS}:${ports.jaegerQueryGrpc}`],
      ['OTLP HTTP', `http://${BIND_ADDRESS}:${ports.jaegerOtlpHttp}`],
      ['OTLP gRPC', `${BIND_ADDRESS}:${ports.jaegerOtlpGrpc}`],
    ],
  };
}

/**
 * VictoriaLogs: takes Loki pushes at /insert/loki/api/v1/push and answers LogsQL. Log lines are kept as sent
 * (no JSON parsing), so an event read back is byte for byte the line the agent pushed.
 * @returns {import('./processes.mjs').ServerSpec}
 */
export function victoriaLogsServer(
  binary,
  ports = DEFAULT_PORTS,
  dataDir = join(DATA_DIR, 'victorialogs'),
  name = 'victorialogs'
) {
  mkdirSync(dataDir, { recursive: true });
  const url = `http://${BIND_ADDRESS}:${ports.victoriaLogs}`;
  return {
    name,
    command: binary,
    args: [
      `-httpListenAddr=${BIND_ADDRESS}:${ports.victoriaLogs}`,
      `-storageDataPath=${dataDir}`,
      '-loki.disableMessageParsing',
    ],
    cwd: dataDir,
    readyUrl: `${url}/health`,
    endpoints: [
      ['Loki push', `${url}/insert/loki/api/v1/push (agent export.loki.url: ${url}/insert)`],
      ['LogsQL query', `${url}/select/logsql/query`],
    ],
  };
}

/**
 * Prometheus with exemplar storage, scraping the capture agent's /metrics every second.
 * @param {string} binary
 * @param {{ ports?: typeof DEFAULT_PORTS, dataDir?: string, agentTargets?: string[], name?: string }} [options]
 * @returns {import('./processes.mjs').ServerSpec}
 */
export function prometheusServer(binary, options = {}) {
  const ports = options.ports ?? DEFAULT_PORTS;
  const dataDir = options.dataDir ?? join(DATA_DIR, 'prometheus');
  const targets = options.agentTargets ?? [`${BIND_ADDRESS}:9470`];
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(dataDir, 'prometheus.yml');
  const targetList = targets.map((t) => `'${t}'`).join(', ');
  writeFileSync(
    configFile,
    `# Written by scripts/stack/servers.mjs: the capture agent's /metrics, with exemplars.\n` +
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: wiretrace-agent\n` +
      `    static_configs:\n      - targets: [${targetList}]\n`
  );
  const url = `http://${BIND_ADDRESS}:${ports.prometheus}`;
  return {
    name: options.name ?? 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dataDir, 'tsdb')}`,
      `--web.listen-address=${BIND_ADDRESS}:${ports.prometheus}`,
      '--enable-feature=exemplar-storage',
    ],
    cwd: dataDir,
    readyUrl: `${url}/-/ready`,
    endpoints: [['Prometheus', `${url} (scrapes ${targets.join(', ')})`]],
  };
}
