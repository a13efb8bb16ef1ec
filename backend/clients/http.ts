// HTTP to one upstream (Tempo, Loki, an agent): auth, tenant, timeout, cancellation, bounded concurrency,
// and failures turned into downstream QueryErrors that name the upstream but never a secret.
import { secretMaskFor, type SecretMask } from '../datasource/secretMask';
import { QueryError } from '../datasource/types';
import type { ConcurrencyLimiter } from './limiter';

export type UpstreamCredentials =
  { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export interface UpstreamOptions {
  // Shown in errors and logs, e.g. "Tempo" or "agent http://10.0.0.5:9090".
  name: string;
  baseUrl: string;
  credentials?: UpstreamCredentials;
  // Sent as X-Scope-OrgID (multi-tenant Tempo and Loki).
  tenant?: string;
  timeoutMs?: number;
  limiter?: ConcurrencyLimiter;
  // Upper bound on a response body, so a runaway upstream cannot exhaust memory.
  maxResponseBytes?: number;
  fetchImpl?: typeof fetch;
}

export type QueryParams = Record<string, string | number | boolean | undefined | null | string[]>;

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  query?: QueryParams;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  // Statuses returned to the caller instead of thrown (e.g. 404 for "trace not found").
  acceptStatus?: number[];
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  text: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const BODY_EXCERPT_CHARS = 300;

export class UpstreamClient {
  readonly name: string;
  readonly baseUrl: string;
  private readonly options: UpstreamOptions;

  constructor(options: UpstreamOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.baseUrl);
    } catch {
      throw new QueryError(400, `${options.name} URL is not a valid URL: ${JSON.stringify(options.baseUrl)}`, 'plugin');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new QueryError(400, `${options.name} URL must be http or https, got ${parsed.protocol}`, 'plugin');
    }
    this.options = options;
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  url(path: string, query?: QueryParams): string {
    const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) {
        continue;
      }
      for (const v of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(v));
      }
    }
    return url.toString();
  }

  async getJson<T>(path: string, request: UpstreamRequest = {}): Promise<T> {
    const response = await this.request(path, request);
    return this.parseJson<T>(path, response.text);
  }

  parseJson<T>(path: string, text: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new QueryError(502, `${this.name} returned invalid JSON from ${path}: ${this.excerpt(text)}`, 'downstream');
    }
  }

  async request(path: string, request: UpstreamRequest = {}): Promise<UpstreamResponse> {
    const run = () => this.send(path, request);
    return this.options.limiter ? this.options.limiter.run(run, request.signal) : run();
  }

  private async send(path: string, request: UpstreamRequest): Promise<UpstreamResponse> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const fetchImpl = this.options.fetchImpl ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(this.url(path, request.query), {
        method: request.method ?? 'GET',
        headers: { ...this.authHeaders(), ...request.headers },
        body: request.body,
        signal,
        redirect: 'manual',
      });
    } catch (err) {
      throw this.transportError(err, request.signal, timeout, timeoutMs);
    }
    let text: string;
    try {
      text = await this.readBody(response);
    } catch (err) {
      throw this.transportError(err, request.signal, timeout, timeoutMs);
    }
    if ((response.status < 200 || response.status >= 300) && !request.acceptStatus?.includes(response.status)) {
      throw this.statusError(path, response.status, text);
    }
    return { status: response.status, headers: response.headers, text };
  }

  private authHeaders(): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const credentials = this.options.credentials;
    if (credentials?.kind === 'basic') {
      headers.Authorization = 'Basic ' + Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
    } else if (credentials?.kind === 'bearer') {
      headers.Authorization = `Bearer ${credentials.token}`;
    }
    if (this.options.tenant) {
      headers['X-Scope-OrgID'] = this.options.tenant;
    }
    return headers;
  }

  private async readBody(response: Response): Promise<string> {
    const limit = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!response.body) {
      return '';
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > limit) {
        await response.body.cancel().catch(() => undefined);
        throw new QueryError(502, `${this.name} response exceeds ${limit} bytes`, 'downstream');
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private transportError(err: unknown, caller: AbortSignal | undefined, timeout: AbortSignal, ms: number): QueryError {
    if (err instanceof QueryError) {
      return err;
    }
    if (caller?.aborted) {
      return new QueryError(499, `request to ${this.name} cancelled`, 'downstream');
    }
    if (timeout.aborted) {
      return new QueryError(504, `${this.name} did not answer within ${ms} ms (${this.baseUrl})`, 'downstream');
    }
    const cause = describeCause(err);
    return new QueryError(502, `${this.name} unreachable at ${this.baseUrl}: ${this.redact(cause)}`, 'downstream');
  }

  private statusError(path: string, status: number, body: string): QueryError {
    const what = status === 401 || status === 403 ? 'rejected the credentials' : `answered HTTP ${status}`;
    const detail = body.trim() ? `: ${this.excerpt(body)}` : '';
    // Upstream 4xx keep their status (a bad TraceQL is the user's to fix); 5xx become 502 Bad Gateway.
    const mapped = status >= 400 && status < 500 ? status : 502;
    return new QueryError(mapped, `${this.name} ${what} for ${path}${detail}`, 'downstream');
  }

  private excerpt(text: string): string {
    return this.secretMask().excerpt(text, BODY_EXCERPT_CHARS);
  }

  // An upstream may echo a request header back, in any encoding; a secret must still never reach a message.
  private redact(text: string): string {
    return this.secretMask().mask(text);
  }

  private secretMask(): SecretMask {
    const credentials = this.options.credentials;
    if (credentials?.kind === 'basic') {
      return secretMaskFor([credentials.password, `${credentials.user}:${credentials.password}`]);
    }
    return secretMaskFor(credentials?.kind === 'bearer' ? [credentials.token] : []);
  }
}

// Duck-typed, since fetch errors may come from another realm (undici inside a VM context fails instanceof).
function describeCause(err: unknown): string {
  const outer = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = outer?.cause;
  if (cause && typeof cause.message === 'string') {
    return typeof cause.code === 'string' ? `${cause.code} ${cause.message}` : cause.message;
  }
  return typeof outer?.message === 'string' ? outer.message : String(err);
}
