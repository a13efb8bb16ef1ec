// OTLP spans of a small checkout (a failed payment call, a good cart call, a refused inventory call) sent to a
// real Jaeger over OTLP/HTTP JSON, and a wait until Jaeger serves them.
export const FAILED_PAYMENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const FAILED_PAYMENT_SPAN = '00f067aa0ba902b7';
export const GOOD_CART_SPAN = '3a1f5c1d2e4b6a70';
export const REFUSED_INVENTORY_TRACE = '5b8efff798038103d269b633813fc60c';
export const REFUSED_INVENTORY_SPAN = 'eee19b7ec3c1b174';
export const UNKNOWN_TRACE = '0000000000000000000000000000beef';

const SCOPE = { name: '@opentelemetry/instrumentation-http', version: '0.57.0' };
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });

function resource(service: string, pod: string, ip: string) {
  return {
    attributes: [
      str('service.name', service),
      str('k8s.pod.name', pod),
      str('k8s.namespace.name', 'shop'),
      str('k8s.pod.ip', ip),
    ],
  };
}

// startNs: the checkout's start, Unix nanoseconds.
export function checkoutSpans(startNs: bigint): object {
  const at = (ms: number) => String(startNs + BigInt(ms) * 1_000_000n);
  return {
    resourceSpans: [
      {
        resource: resource('frontend', 'frontend-1', '10.0.0.5'),
        scopeSpans: [
          {
            scope: SCOPE,
            spans: [
              {
                traceId: FAILED_PAYMENT_TRACE,
                spanId: 'b7ad6b7169203331',
                name: 'GET /checkout',
                kind: KIND_SERVER,
                startTimeUnixNano: at(0),
                endTimeUnixNano: at(3100),
                attributes: [str('http.request.method', 'GET'), str('url.path', '/checkout')],
              },
              {
                traceId: FAILED_PAYMENT_TRACE,
                spanId: FAILED_PAYMENT_SPAN,
                parentSpanId: 'b7ad6b7169203331',
                name: 'POST',
                kind: KIND_CLIENT,
                startTimeUnixNano: at(10),
                endTimeUnixNano: at(3010),
                attributes: [
                  str('http.request.method', 'POST'),
                  str('server.address', 'payments.shop.svc.cluster.local'),
                  int('server.port', 8443),
                  str('url.full', 'http://payments.shop.svc.cluster.local:8443/charge'),
                ],
                events: [
                  {
                    timeUnixNano: at(3010),
                    name: 'exception',
                    attributes: [str('exception.message', 'connect ETIMEDOUT 10.96.14.2:8443')],
                  },
                ],
                status: { code: STATUS_ERROR, message: 'connect ETIMEDOUT 10.96.14.2:8443' },
              },
              {
                traceId: FAILED_PAYMENT_TRACE,
                spanId: GOOD_CART_SPAN,
                parentSpanId: 'b7ad6b7169203331',
                name: 'GET',
                kind: KIND_CLIENT,
                startTimeUnixNano: at(3020),
                endTimeUnixNano: at(3060),
                attributes: [
                  str('http.request.method', 'GET'),
                  str('server.address', 'cart.shop.svc.cluster.local'),
                  int('server.port', 8080),
                  int('http.response.status_code', 200),
                ],
                status: { code: STATUS_OK },
              },
            ],
          },
        ],
      },
      {
        resource: resource('checkout', 'checkout-2', '10.0.0.7'),
        scopeSpans: [
          {
            scope: SCOPE,
            spans: [
              {
                traceId: REFUSED_INVENTORY_TRACE,
                spanId: REFUSED_INVENTORY_SPAN,
                name: 'GET',
                kind: KIND_CLIENT,
                startTimeUnixNano: at(500),
                endTimeUnixNano: at(520),
                attributes: [
                  str('http.request.method', 'GET'),
                  str('server.address', 'inventory.shop.svc.cluster.local'),
                  int('server.port', 9090),
                ],
                status: { code: STATUS_ERROR, message: 'connect ECONNREFUSED 10.96.3.3:9090' },
              },
            ],
          },
        ],
      },
    ],
  };
}

export async function sendSpans(otlpHttpUrl: string, body: object): Promise<void> {
  const response = await fetch(`${otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`Jaeger OTLP receiver answered ${response.status}: ${await response.text()}`);
  }
}

// Jaeger writes through a batch processor: wait until every trace answers with all its spans.
export async function waitForTraces(httpUrl: string, expected: Record<string, number>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    let ready = true;
    for (const [traceId, spans] of Object.entries(expected)) {
      const response = await fetch(`${httpUrl}/api/v3/traces/${traceId}`);
      const text = await response.text();
      if (!response.ok || (text.match(/"spanId"/g) ?? []).length < spans) {
        ready = false;
        break;
      }
    }
    if (ready) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Jaeger did not serve traces ${Object.keys(expected).join(', ')} within 120 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
