// An outgoing HTTP call as a CLIENT span with the attributes the Wiretrace join scores destinations by.
import { request } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { injectContext } from './telemetry.mjs';

export function callDownstream(tracer, { peerService, url, timeoutMs }) {
  const target = new URL(url);
  const span = tracer.startSpan(`GET ${target.pathname}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'GET',
      'url.full': target.href,
      'server.address': target.hostname,
      'server.port': Number(target.port || 80),
      'peer.service': peerService,
    },
  });
  const ctx = trace.setSpan(context.active(), span);
  return new Promise((resolve) => {
    const req = request(target, { method: 'GET', headers: injectContext(ctx, {}) }, (res) => {
      res.resume();
      res.on('end', () => {
        span.setAttribute('http.response.status_code', res.statusCode ?? 0);
        if ((res.statusCode ?? 500) >= 500) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
        }
        span.end();
        resolve({ ok: (res.statusCode ?? 500) < 400, status: res.statusCode ?? 0 });
      });
    });
    req.setTimeout(timeoutMs, () => {
      // A silently dropped SYN never connects: say so the way Node's own connect timeout would.
      const phase = req.socket?.connecting === false ? 'response' : 'connect';
      const error = new Error(`${phase} ETIMEDOUT ${target.hostname}:${target.port}`);
      error.code = 'ETIMEDOUT';
      req.destroy(error);
    });
    req.on('error', (error) => {
      span.recordException(error);
      span.setAttribute('error.type', error.code ?? 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end();
      resolve({ ok: false, status: 0, error: error.message });
    });
    req.end();
  });
}
