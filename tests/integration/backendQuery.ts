// Queries the backend datasource executable the way Grafana does: through Grafana's /api/ds/query when a Grafana
// runs (GRAFANA_URL), otherwise through the Go-SDK harness CLI (tests/conformance/cmd/pluginquery), which starts
// the executable as Grafana would and decodes its Arrow frames with the SDK's own reader.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_BIN_DIR, REPO_ROOT } from './stackEndpoints';

export interface FieldJson {
  name: string;
  type: string;
  config?: Record<string, unknown>;
  values: unknown[];
}

export interface FrameJson {
  name: string;
  refId: string;
  meta?: Record<string, unknown>;
  fields: FieldJson[];
}

export interface QueryResponse {
  status: number;
  error?: string;
  errorSource?: string;
  frames: FrameJson[];
}

export interface DatasourceSettings {
  uid: string;
  name: string;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

export const PLUGIN_EXECUTABLE = join(REPO_ROOT, 'dist', 'datasource', 'gpx_wiretrace_linux_amd64');
const CONFORMANCE_DIR = join(REPO_ROOT, 'tests', 'conformance');

// Newest mtime of the TypeScript the executable is built from.
function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSourceMs(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds the backend executable when it is missing or older than its sources. Rebuilding an up-to-date one would
 * only race other users of dist/ (a running executable cannot be overwritten).
 */
export function ensureBackendExecutable(): void {
  const builtMs = existsSync(PLUGIN_EXECUTABLE) ? statSync(PLUGIN_EXECUTABLE).mtimeMs : 0;
  const sourcesMs = Math.max(newestSourceMs(join(REPO_ROOT, 'backend')), newestSourceMs(join(REPO_ROOT, 'model')));
  if (sourcesMs > builtMs) {
    execFileSync(process.execPath, ['scripts/build-backend.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

/** Builds the harness CLI into the cache; go's build cache makes repeat builds quick. */
export function buildPluginQuery(): string {
  mkdirSync(CACHE_BIN_DIR, { recursive: true });
  const output = join(CACHE_BIN_DIR, 'pluginquery');
  execFileSync('go', ['build', '-o', output, './cmd/pluginquery'], { cwd: CONFORMANCE_DIR, stdio: 'inherit' });
  return output;
}

export class PluginQueryClient {
  private readonly cli: string;
  private readonly settings: DatasourceSettings;

  constructor(cli: string, settings: DatasourceSettings) {
    this.cli = cli;
    this.settings = settings;
  }

  query(
    queries: Array<Record<string, unknown>>,
    range: { fromMs: number; toMs: number }
  ): Promise<Record<string, QueryResponse>> {
    const args = ['-plugin', PLUGIN_EXECUTABLE, '-settings', JSON.stringify(this.settings)];
    args.push('-from', String(Math.floor(range.fromMs)), '-to', String(Math.ceil(range.toMs)));
    for (const q of queries) {
      args.push('-query', JSON.stringify(q));
    }
    return new Promise((resolvePromise, reject) => {
      execFile(this.cli, args, { cwd: REPO_ROOT, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`pluginquery failed: ${err.message}\n${stderr.trim()}`));
          return;
        }
        resolvePromise(JSON.parse(stdout) as Record<string, QueryResponse>);
      });
    });
  }
}

/** Grafana's own query API; the datasource is the provisioned one with the given uid. */
export class GrafanaQueryClient {
  private readonly grafanaUrl: string;
  private readonly datasourceUid: string;

  constructor(grafanaUrl: string, datasourceUid: string) {
    this.grafanaUrl = grafanaUrl;
    this.datasourceUid = datasourceUid;
  }

  async query(
    queries: Array<Record<string, unknown>>,
    range: { fromMs: number; toMs: number }
  ): Promise<Record<string, QueryResponse>> {
    const body = {
      from: String(Math.floor(range.fromMs)),
      to: String(Math.ceil(range.toMs)),
      queries: queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i),
        ...q,
        datasource: { uid: this.datasourceUid },
      })),
    };
    const response = await fetch(`${this.grafanaUrl}/api/ds/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const payload = (await response.json()) as { results?: Record<string, GrafanaResult> };
    const out: Record<string, QueryResponse> = {};
    for (const [refId, result] of Object.entries(payload.results ?? {})) {
      out[refId] = {
        status: result.status ?? response.status,
        error: result.error,
        errorSource: result.errorSource,
        frames: (result.frames ?? []).map((f) => fromDataFrameJson(f, refId)),
      };
    }
    return out;
  }
}

interface GrafanaResult {
  status?: number;
  error?: string;
  errorSource?: string;
  frames?: Array<{
    schema: {
      name?: string;
      meta?: Record<string, unknown>;
      fields: Array<{ name: string; type: string; config?: Record<string, unknown> }>;
    };
    data: { values: unknown[][] };
  }>;
}

function fromDataFrameJson(frame: NonNullable<GrafanaResult['frames']>[number], refId: string): FrameJson {
  return {
    name: frame.schema.name ?? '',
    refId,
    meta: frame.schema.meta,
    fields: frame.schema.fields.map((f, i) => ({
      name: f.name,
      type: f.type,
      config: f.config,
      values: frame.data.values[i] ?? [],
    })),
  };
}

export type BackendQueryClient = Pick<PluginQueryClient, 'query'>;

/** The rows of a frame as objects keyed by field name. */
export function frameRows(frame: FrameJson): Array<Record<string, unknown>> {
  const length = frame.fields[0]?.values.length ?? 0;
  return Array.from({ length }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
}
