// Where the stack's servers answer; the integration tier passes the values scripts/stack/servers.mjs uses.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const TEMPO_URL = process.env.WIRETRACE_TEMPO_URL ?? 'http://127.0.0.1:3200';
export const LOKI_URL = process.env.WIRETRACE_LOKI_URL ?? 'http://127.0.0.1:3100';
export const OTLP_HTTP_URL = process.env.WIRETRACE_OTLP_HTTP_URL ?? 'http://127.0.0.1:4318';
export const CACHE_BIN_DIR = join(process.env.WIRETRACE_CACHE ?? join(homedir(), '.cache', 'wiretrace'), 'bin');
