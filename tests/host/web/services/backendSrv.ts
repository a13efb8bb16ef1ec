// Grafana's backendSrv for the host: fetch as an Observable, JSON bodies, and errors shaped as Grafana's
// (FetchError with status, statusText, data.message) so the runtime's toDataQueryResponse reads them the same way.
import { Observable, from } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

function withParams(url: string, params?: BackendSrvRequest['params']): string {
  if (!params || Object.keys(params).length === 0) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      search.append(key, String(v));
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

async function request<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const url = withParams(options.url, options.params);
  const body = options.data === undefined ? undefined : typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(options.headers ?? {}) },
    body,
    credentials: 'same-origin',
  });
  const text = await response.text();
  let data: unknown = text;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  const fetched = {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
  if (!response.ok) {
    const message = (data as { message?: string } | undefined)?.message;
    const error: FetchError = {
      status: response.status,
      statusText: response.statusText,
      data: typeof data === 'object' && data !== null ? data : { message: message ?? text ?? response.statusText },
      config: options,
      message: message ?? response.statusText,
    } as FetchError;
    throw error;
  }
  return fetched as FetchResponse<T>;
}

export function createBackendSrv(): BackendSrv {
  const call = async <T>(options: BackendSrvRequest): Promise<T> => (await request<T>(options)).data;
  return {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(request<T>(options)),
    request: call,
    datasourceRequest: (options: BackendSrvRequest) => request(options),
    get: (url: string, params?: BackendSrvRequest['params'], requestId?: string, options?: Partial<BackendSrvRequest>) =>
      call({ ...options, url, params, requestId, method: 'GET' }),
    delete: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => call({ ...options, url, data, method: 'DELETE' }),
    post: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => call({ ...options, url, data, method: 'POST' }),
    patch: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => call({ ...options, url, data, method: 'PATCH' }),
    put: (url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => call({ ...options, url, data, method: 'PUT' }),
    chunked: () => {
      throw new Error('chunked requests are not served by the test host');
    },
  } as unknown as BackendSrv;
}

