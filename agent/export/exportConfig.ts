// The `export.loki` and `export.otlp` sections of the agent config → exporter options, with errors naming the key.
import { readFileSync } from 'node:fs';
import { ConfigError, FieldReader } from '../config';
import type { EventKind } from '../../model/events';
import type { LokiExporterOptions } from './lokiExporter';
import type { OtlpDropExporterOptions } from './otlpDropExporter';

const KINDS: EventKind[] = ['flow', 'drop', 'reset', 'dns', 'http', 'tls', 'signal'];

const LOKI_KEYS = [
  'url',
  'tenant',
  'tokenFile',
  'basicAuth',
  'batchSize',
  'batchWaitMs',
  'bufferBytes',
  'bufferDir',
  'timeoutMs',
  'kinds',
  'dnsErrorsOnly',
];
const OTLP_KEYS = ['url', 'tenant', 'tokenFile', 'batchSize', 'batchWaitMs', 'bufferBytes', 'timeoutMs'];

export function lokiOptionsFromConfig(raw: Record<string, unknown>, origin = 'config'): LokiExporterOptions {
  const read = new FieldReader(origin);
  read.onlyKeys(raw, 'export.loki', LOKI_KEYS);
  const url = read.string(raw, 'export.loki.url');
  if (!url) {
    throw new ConfigError(`${origin}: export.loki.url is required`);
  }
  const options: LokiExporterOptions = {
    url,
    tenant: read.string(raw, 'export.loki.tenant'),
    tokenFile: read.string(raw, 'export.loki.tokenFile'),
    batchSize: read.integer(raw, 'export.loki.batchSize', 1, 100_000),
    batchWaitMs: read.integer(raw, 'export.loki.batchWaitMs', 1, 600_000),
    bufferBytes: read.integer(raw, 'export.loki.bufferBytes', 1024, Number.MAX_SAFE_INTEGER),
    bufferDir: read.string(raw, 'export.loki.bufferDir'),
    timeoutMs: read.integer(raw, 'export.loki.timeoutMs', 100, 600_000),
  };
  const basic = read.object(raw, 'export.loki.basicAuth');
  if (basic) {
    read.onlyKeys(basic, 'export.loki.basicAuth', ['username', 'password', 'passwordFile']);
    const username = read.string(basic, 'export.loki.basicAuth.username');
    const passwordFile = read.string(basic, 'export.loki.basicAuth.passwordFile');
    let password = read.string(basic, 'export.loki.basicAuth.password');
    if (passwordFile) {
      password = readSecretFile(passwordFile, 'export.loki.basicAuth.passwordFile', origin);
    }
    if (!username || password === undefined) {
      throw new ConfigError(`${origin}: export.loki.basicAuth needs username and password (or passwordFile)`);
    }
    options.basicAuth = { username, password };
  }
  const kinds = read.stringList(raw, 'export.loki.kinds');
  if (kinds) {
    const unknown = kinds.filter((k) => !KINDS.includes(k as EventKind));
    if (unknown.length > 0) {
      throw new ConfigError(
        `${origin}: export.loki.kinds has unknown kinds ${unknown.join(', ')} (known: ${KINDS.join(', ')})`
      );
    }
    options.selection = { kinds: kinds as EventKind[] };
  }
  const dnsErrorsOnly = read.boolean(raw, 'export.loki.dnsErrorsOnly');
  if (dnsErrorsOnly !== undefined) {
    options.selection = { ...options.selection, dnsErrorsOnly };
  }
  return options;
}

export function otlpOptionsFromConfig(raw: Record<string, unknown>, origin = 'config'): OtlpDropExporterOptions {
  const read = new FieldReader(origin);
  read.onlyKeys(raw, 'export.otlp', OTLP_KEYS);
  const url = read.string(raw, 'export.otlp.url');
  if (!url) {
    throw new ConfigError(`${origin}: export.otlp.url is required`);
  }
  const headers: Record<string, string> = {};
  const tenant = read.string(raw, 'export.otlp.tenant');
  if (tenant) {
    headers['X-Scope-OrgID'] = tenant;
  }
  const tokenFile = read.string(raw, 'export.otlp.tokenFile');
  if (tokenFile) {
    headers.Authorization = `Bearer ${readSecretFile(tokenFile, 'export.otlp.tokenFile', origin)}`;
  }
  return {
    url,
    headers,
    batchSize: read.integer(raw, 'export.otlp.batchSize', 1, 100_000),
    batchWaitMs: read.integer(raw, 'export.otlp.batchWaitMs', 1, 600_000),
    bufferBytes: read.integer(raw, 'export.otlp.bufferBytes', 1024, Number.MAX_SAFE_INTEGER),
    timeoutMs: read.integer(raw, 'export.otlp.timeoutMs', 100, 600_000),
  };
}

function readSecretFile(path: string, key: string, origin: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${origin}: cannot read ${key} ${path}: ${(err as Error).message}`);
  }
}
