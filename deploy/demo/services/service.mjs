// One demo service; SERVICE_NAME picks the role: frontend (drives load) → checkout → payments.
import { createServer } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { callDownstream } from './downstream.mjs';
import { LokiLogger } from './lokiLogger.mjs';
import { extractContext, startTracing } from './telemetry.mjs';

const SERVICE = process.env.SERVICE_NAME ?? 'payments';
const NAMESPACE = process.env.SERVICE_NAMESPACE ?? 'demo';
const PORT = Number(process.env.PORT ?? 8080);
const { tracer, shutdown } = startTracing(SERVICE, NAMESPACE);
const logger = new LokiLogger({ url: process.env.LOKI_URL, serviceName: SERVICE, namespace: NAMESPACE });

function traceFields(span) {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

// A SERVER span per request, continuing the caller's trace.
function serve(port, handlers) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const handler = handlers[path];
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const span = tracer.startSpan(`GET ${path}`, { kind: SpanKind.SERVER, attributes: { 'url.path': path, 'server.port': port } }, extractContext(req.headers));
    context.with(trace.setSpan(context.active(), span), async () => {
      let status = 500;
      try {
        status = await handler(span);
      } catch (error) {
        span.recordException(error);
        logger.log('error', `${path} failed: ${error.message}`, traceFields(span));
      }
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
      }
      span.end();
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ service: SERVICE, status }));
    });
  });
  server.listen(port, '0.0.0.0', () => logger.log('info', `${SERVICE} listening on ${port}`));
  return server;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const servers = [];

if (SERVICE === 'payments') {
  servers.push(serve(PORT, { '/pay': async () => (await sleep(20 + Math.random() * 30), 200), '/healthz': async () => 200 }));
  // Refunds listen on their own port, which the demo's rule drops.
  servers.push(serve(Number(process.env.REFUND_PORT ?? 8081), { '/refund': async () => (await sleep(10), 200) }));
}

if (SERVICE === 'checkout') {
  const payments = process.env.PAYMENTS_URL ?? 'http://payments:8080';
  const refunds = process.env.REFUNDS_URL ?? 'http://payments:8081';
  const refundEvery = Number(process.env.REFUND_EVERY ?? 4);
  let orders = 0;
  servers.push(
    serve(PORT, {
      '/checkout': async (span) => {
        orders++;
        const pay = await callDownstream(tracer, { peerService: 'payments', url: `${payments}/pay`, timeoutMs: 3000 });
        if (!pay.ok) {
          logger.log('error', `payment failed: ${pay.error ?? pay.status}`, traceFields(span));
          return 502;
        }
        if (orders % refundEvery === 0) {
          const refund = await callDownstream(tracer, { peerService: 'payments', url: `${refunds}/refund`, timeoutMs: 3000 });
          if (!refund.ok) {
            logger.log('error', `refund failed: ${refund.error ?? refund.status}`, traceFields(span));
            return 502;
          }
        }
        logger.log('info', 'order placed', { ...traceFields(span), order: orders });
        return 200;
      },
      '/healthz': async () => 200,
    })
  );
}

if (SERVICE === 'frontend') {
  const checkout = process.env.CHECKOUT_URL ?? 'http://checkout:8080';
  servers.push(serve(PORT, { '/healthz': async () => 200 }));
  // The demo's users: one order a second, each its own trace.
  const timer = setInterval(() => {
    const span = tracer.startSpan('place order', { kind: SpanKind.SERVER, attributes: { 'url.path': '/shop' } });
    context.with(trace.setSpan(context.active(), span), async () => {
      const result = await callDownstream(tracer, { peerService: 'checkout', url: `${checkout}/checkout`, timeoutMs: 8000 });
      if (!result.ok) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? `HTTP ${result.status}` });
        logger.log('warn', `order failed: ${result.error ?? `HTTP ${result.status}`}`, traceFields(span));
      }
      span.end();
    });
  }, Number(process.env.LOAD_INTERVAL_MS ?? 1000));
  process.on('SIGTERM', () => clearInterval(timer));
}

process.on('SIGTERM', async () => {
  // An unreachable Tempo must not hold the container past its stop.
  setTimeout(() => process.exit(0), 3000).unref();
  for (const server of servers) {
    server.close();
  }
  await logger.flush();
  await shutdown();
  process.exit(0);
});
