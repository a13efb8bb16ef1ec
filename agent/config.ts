// The agent's configuration file (YAML or JSON): what to capture, where to serve, how much to keep.
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { unknownKeyMessage } from './configKeys';
import { DEFAULT_REDACTED_HEADERS, defaultTrackerOptions, type TrackerOptions } from './track/trackerOptions';

export interface CaptureConfig {
  interfaces: string[];
  snaplen: number;
  // A tcpdump (BPF) filter expression; empty captures everything.
  filter: string;
  // /healthz turns unhealthy when an interface that had traffic is silent this long; 0 never.
  stallAfterMs: number;
}

export interface ApiConfig {
  // host:port; loopback needs no token, any other address does.
  listen: string;
  token?: string;
  tokenFile?: string;
}

export interface AgentConfig {
  node: string;
  capture: CaptureConfig;
  api: ApiConfig;
  store: { maxBytes: number };
  tracker: TrackerOptions;
  // A Kubernetes snapshot (pods, services, policies) for the identity enricher outside a cluster.
  clusterFile?: string;
  // Read by the exporters (agent/export/); kept as given so they own their schema.
  export: { loki?: Record<string, unknown>; otlp?: Record<string, unknown> };
  // Event sources besides packet capture, read by agent/sensors/hubble and agent/sensors/nflog.
  sources: { hubble?: Record<string, unknown>; nflog?: Record<string, unknown> };
  // Security signals (suspicious ports, external connections, blocklists), read by agent/signals.
  security?: Record<string, unknown>;
}

export class ConfigError extends Error {}

export function defaultAgentConfig(): AgentConfig {
  return {
    node: process.env.NODE_NAME ?? hostname(),
    capture: { interfaces: ['any'], snaplen: 262144, filter: '', stallAfterMs: 0 },
    api: { listen: '127.0.0.1:9470' },
    store: { maxBytes: 256 * 1024 * 1024 },
    tracker: defaultTrackerOptions({ source: 'pcap' }),
    export: {},
    sources: {},
  };
}

// A configuration is a few kilobytes; anything near this is not one.
export const MAX_CONFIG_BYTES = 1024 * 1024;

// The sections this file reads, and the keys each may hold; the sections other modules own are theirs to check.
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['node', 'clusterFile', 'capture', 'api', 'store', 'tracker', 'http', 'export', 'hubble', 'nflog', 'security'],
  capture: ['interfaces', 'snaplen', 'filter', 'stallAfterMs'],
  api: ['listen', 'token', 'tokenFile'],
  store: ['maxBytes'],
  tracker: [
    'maxConnections',
    'idleTimeoutMs',
    'unansweredSynMs',
    'flowUpdateIntervalMs',
    'dnsTimeoutMs',
    'reassemblyBufferBytes',
  ],
  http: ['redactHeaders', 'captureBodies', 'maxBodyBytes'],
  export: ['loki', 'otlp'],
};

export function loadAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    // Reading a FIFO or a device would block or never end: a config is a regular file of bounded size.
    const info = statSync(path);
    if (!info.isFile()) {
      throw new ConfigError(`config file ${path} is not a regular file`);
    }
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError(`config file ${path} is ${info.size} bytes, over the limit of ${MAX_CONFIG_BYTES}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) {
      throw err;
    }
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      `config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`
    );
  }
  return parseAgentConfig(raw ?? {}, path);
}

type Raw = Record<string, unknown>;

export function parseAgentConfig(raw: unknown, origin = 'config'): AgentConfig {
  const config = defaultAgentConfig();
  const root = asObject(raw, origin);
  const read = new FieldReader(origin);
  for (const [path, known] of Object.entries(KNOWN_KEYS)) {
    const section = path ? root[path] : root;
    if (section && typeof section === 'object' && !Array.isArray(section)) {
      const problem = unknownKeyMessage(section as Raw, path, known);
      if (problem) {
        throw new ConfigError(`${origin}: ${problem}`);
      }
    }
  }
  config.node = read.string(root, 'node') ?? config.node;
  config.clusterFile = read.string(root, 'clusterFile');

  const capture = read.object(root, 'capture');
  if (capture) {
    config.capture.interfaces = read.stringList(capture, 'capture.interfaces') ?? config.capture.interfaces;
    config.capture.snaplen = read.integer(capture, 'capture.snaplen', 64, 262144) ?? config.capture.snaplen;
    config.capture.filter = read.string(capture, 'capture.filter') ?? '';
    config.capture.stallAfterMs = read.integer(capture, 'capture.stallAfterMs', 0, 86_400_000) ?? 0;
  }
  const api = read.object(root, 'api');
  if (api) {
    config.api.listen = read.string(api, 'api.listen') ?? config.api.listen;
    config.api.token = read.string(api, 'api.token');
    config.api.tokenFile = read.string(api, 'api.tokenFile');
    if (config.api.token !== undefined && !config.api.token.trim()) {
      // Presented tokens are trimmed, so a blank one could never match: a mistake, not "no auth".
      throw new ConfigError(`${origin}: api.token is empty or only whitespace`);
    }
  }
  parseListen(config.api.listen);
  const store = read.object(root, 'store');
  if (store) {
    config.store.maxBytes =
      read.integer(store, 'store.maxBytes', 1024, Number.MAX_SAFE_INTEGER) ?? config.store.maxBytes;
  }
  const t = read.object(root, 'tracker');
  const tr = config.tracker;
  if (t) {
    tr.maxConnections = read.integer(t, 'tracker.maxConnections', 1, 10_000_000) ?? tr.maxConnections;
    tr.idleTimeoutMs = read.integer(t, 'tracker.idleTimeoutMs', 1, 86_400_000) ?? tr.idleTimeoutMs;
    tr.unansweredSynMs = read.integer(t, 'tracker.unansweredSynMs', 1, 600_000) ?? tr.unansweredSynMs;
    tr.flowUpdateIntervalMs =
      read.integer(t, 'tracker.flowUpdateIntervalMs', 100, 86_400_000) ?? tr.flowUpdateIntervalMs;
    tr.dnsTimeoutMs = read.integer(t, 'tracker.dnsTimeoutMs', 1, 600_000) ?? tr.dnsTimeoutMs;
    tr.reassemblyBufferBytes = read.integer(t, 'tracker.reassemblyBufferBytes', 0, 1 << 30) ?? tr.reassemblyBufferBytes;
  }
  const http = read.object(root, 'http');
  if (http) {
    const extra = read.stringList(http, 'http.redactHeaders') ?? [];
    tr.http.redactHeaders = [...new Set([...DEFAULT_REDACTED_HEADERS, ...extra.map((h) => h.toLowerCase())])];
    tr.http.captureBodies = read.boolean(http, 'http.captureBodies') ?? false;
    tr.http.maxBodyBytes = read.integer(http, 'http.maxBodyBytes', 0, 1 << 20) ?? tr.http.maxBodyBytes;
  }
  tr.node = config.node;
  const exp = read.object(root, 'export');
  if (exp) {
    config.export.loki = read.object(exp, 'export.loki');
    config.export.otlp = read.object(exp, 'export.otlp');
  }
  config.sources.hubble = read.object(root, 'hubble');
  config.sources.nflog = read.object(root, 'nflog');
  config.security = read.object(root, 'security');
  return config;
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new ConfigError(`api.listen must be host:port (e.g. 127.0.0.1:9470), got "${listen}"`);
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

// Only an address is known to be loopback without resolving it; names are decided by the API server once resolved.
export function isLoopback(host: string): boolean {
  const version = isIP(host);
  return (version === 4 && host.startsWith('127.')) || (version === 6 && host === '::1');
}

// The bearer token: inline, or from a file (a mounted Secret); never logged.
export function resolveApiToken(api: ApiConfig): string | undefined {
  if (api.tokenFile) {
    let token: string;
    try {
      token = readFileSync(api.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`cannot read api.tokenFile ${api.tokenFile}: ${(err as Error).message}`);
    }
    if (!token) {
      throw new ConfigError(`api.tokenFile ${api.tokenFile} is empty or only whitespace`);
    }
    return token;
  }
  return api.token?.trim() || undefined;
}

function asObject(v: unknown, what: string): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`${what}: expected a mapping`);
  }
  return v as Raw;
}

export class FieldReader {
  constructor(private readonly origin: string) {}

  // Refuses a key of section `path` that is not in `known`, naming the nearest known one.
  onlyKeys(o: Raw, path: string, known: readonly string[]): void {
    const problem = unknownKeyMessage(o, path, known);
    if (problem) {
      throw new ConfigError(`${this.origin}: ${problem}`);
    }
  }

  private fail(key: string, expected: string): never {
    throw new ConfigError(`${this.origin}: ${key} must be ${expected}`);
  }

  object(o: Raw, key: string): Raw | undefined {
    const v = o[key.split('.').pop()!];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.fail(key, 'a mapping');
    }
    return v as Raw;
  }

  string(o: Raw, key: string): string | undefined {
    const v = o[key.split('.').pop()!];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'string') {
      this.fail(key, 'a string');
    }
    return v;
  }

  boolean(o: Raw, key: string): boolean | undefined {
    const v = o[key.split('.').pop()!];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'boolean') {
      this.fail(key, 'true or false');
    }
    return v;
  }

  integer(o: Raw, key: string, min: number, max: number): number | undefined {
    const v = o[key.split('.').pop()!];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(key, `an integer from ${min} to ${max}`);
    }
    return v;
  }

  stringList(o: Raw, key: string): string[] | undefined {
    const v = o[key.split('.').pop()!];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.fail(key, 'a list of strings');
    }
    return v as string[];
  }
}
