// How each server of the local stack is started: binary, config from deploy/stack/, loopback ports, data dir.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, DEPLOY_STACK_DIR } from './paths.mjs';

export const BIND_ADDRESS = '127.0.0.1';

export const PORTS = {
  tempoHttp: 3200,
  tempoGrpc: 9095,
  tempoOtlpGrpc: 4317,
  tempoOtlpHttp: 4318,
  lokiHttp: 3100,
  lokiGrpc: 9096,
  grafana: 3000,
};

export const TEMPO_URL = `http://${BIND_ADDRESS}:${PORTS.tempoHttp}`;
export const LOKI_URL = `http://${BIND_ADDRESS}:${PORTS.lokiHttp}`;
export const OTLP_HTTP_URL = `http://${BIND_ADDRESS}:${PORTS.tempoOtlpHttp}`;

/** @returns {import('./processes.mjs').ServerSpec} */
export function tempoServer(binary) {
  const dataDir = join(DATA_DIR, 'tempo');
  mkdirSync(dataDir, { recursive: true });
  return {
    name: 'tempo',
    command: binary,
    args: [`-config.file=${join(DEPLOY_STACK_DIR, 'tempo.yaml')}`, '-config.expand-env=true'],
    env: {
      WIRETRACE_BIND_ADDRESS: BIND_ADDRESS,
      TEMPO_DATA_DIR: dataDir,
      TEMPO_HTTP_PORT: String(PORTS.tempoHttp),
      TEMPO_GRPC_PORT: String(PORTS.tempoGrpc),
      TEMPO_OTLP_GRPC_PORT: String(PORTS.tempoOtlpGrpc),
      TEMPO_OTLP_HTTP_PORT: String(PORTS.tempoOtlpHttp),
    },
    cwd: dataDir,
    readyUrl: `${TEMPO_URL}/ready`,
    endpoints: [
      ['Tempo HTTP API', TEMPO_URL],
      ['OTLP HTTP', OTLP_HTTP_URL],
      ['OTLP gRPC', `${BIND_ADDRESS}:${PORTS.tempoOtlpGrpc}`],
    ],
  };
}

/** @returns {import('./processes.mjs').ServerSpec} */
export function lokiServer(binary) {
  const dataDir = join(DATA_DIR, 'loki');
  mkdirSync(dataDir, { recursive: true });
  return {
    name: 'loki',
    command: binary,
    args: [`-config.file=${join(DEPLOY_STACK_DIR, 'loki.yaml')}`, '-config.expand-env=true'],
    env: {
      WIRETRACE_BIND_ADDRESS: BIND_ADDRESS,
      LOKI_DATA_DIR: dataDir,
      LOKI_HTTP_PORT: String(PORTS.lokiHttp),
      LOKI_GRPC_PORT: String(PORTS.lokiGrpc),
    },
    cwd: dataDir,
    readyUrl: `${LOKI_URL}/ready`,
    endpoints: [['Loki HTTP API', LOKI_URL]],
  };
}
