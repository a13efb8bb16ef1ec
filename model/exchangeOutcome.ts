// When an HTTP or gRPC exchange counts as failed, the same for every page: no response, a server error (5xx), a
// reset stream, or a gRPC status OpenTelemetry treats as a server fault (a 200 response can carry one).
import type { HttpDetails } from './events';

// UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.
const GRPC_SERVER_FAULTS: ReadonlySet<number> = new Set([2, 4, 12, 13, 14, 15]);

export function exchangeFailed(http: HttpDetails | undefined): boolean {
  if (!http || http.status === undefined || http.status >= 500 || http.streamError !== undefined) {
    return true;
  }
  return http.grpc?.status !== undefined && GRPC_SERVER_FAULTS.has(http.grpc.status);
}
