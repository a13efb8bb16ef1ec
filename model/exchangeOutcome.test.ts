// A failed exchange is the same on every page: gRPC server faults inside a 200 response and reset streams count,
// a client-side gRPC status (NOT_FOUND) does not, as a 404 does not.
import type { HttpDetails, NetworkEvent } from './events';
import { exchangeFailed } from './exchangeOutcome';
import { buildTopology } from './topology';

const grpc = (status: number | undefined, extra: Partial<HttpDetails> = {}): HttpDetails => ({
  method: 'POST',
  path: '/shop.Orders/Get',
  status: 200,
  requestHeaders: {},
  protocol: 'grpc',
  grpc: { service: 'shop.Orders', method: 'Get', status },
  ...extra,
});

describe('exchangeFailed', () => {
  it.each([
    ['gRPC OK', grpc(0), false],
    ['gRPC NOT_FOUND (the caller asked wrongly)', grpc(5), false],
    ['gRPC UNAVAILABLE', grpc(14), true],
    ['gRPC INTERNAL', grpc(13), true],
    ['a reset stream', grpc(undefined, { streamError: 'CANCEL' }), true],
    ['HTTP 404', { method: 'GET', path: '/', status: 404, requestHeaders: {} }, false],
    ['HTTP 503', { method: 'GET', path: '/', status: 503, requestHeaders: {} }, true],
    ['no response', { method: 'GET', path: '/', requestHeaders: {} }, true],
  ])('%s → %s', (_what, http, failed) => {
    expect(exchangeFailed(http as HttpDetails)).toBe(failed);
  });

  it('counts gRPC faults as errors on topology edges', () => {
    const call = (status: number): NetworkEvent => ({
      kind: 'http',
      time: 1,
      transport: 'tcp',
      src: { ip: '10.0.0.1', service: 'web' },
      dst: { ip: '10.0.0.2', service: 'orders', port: 50051 },
      source: 'pcap',
      http: grpc(status),
    });
    expect(buildTopology([call(0), call(14), call(5)])).toMatchObject([{ requests: 3, errors: 1 }]);
  });
});
