// What a gRPC call's headers say: the service and method from :path, its status and message from the trailers.
import type { GrpcDetails } from '../../../model/events';

// https://grpc.github.io/grpc/core/md_doc_statuscodes.html, 0–16.
const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

// RFC 9113 §7 error codes, for RST_STREAM and GOAWAY.
const HTTP2_ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
] as const;

export function isGrpcContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/grpc([+;]|$)/i.test(contentType.trim());
}

export function http2ErrorName(code: number): string {
  return HTTP2_ERROR_NAMES[code] ?? `0x${code.toString(16)}`;
}

// "/package.Service/Method"; anything else keeps the whole path as the method of an unnamed service.
export function grpcCallOf(path: string): GrpcDetails {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { service: m[1], method: m[2] } : { service: '', method: path };
}

// Fills status, its name and the message from trailers (or a trailers-only response's headers).
export function applyGrpcTrailers(call: GrpcDetails, headers: Record<string, string>): void {
  const status = headers['grpc-status'];
  if (status !== undefined && /^\d{1,3}$/.test(status.trim())) {
    call.status = Number(status.trim());
    const name = STATUS_NAMES[call.status];
    if (name) {
      call.statusName = name;
    }
  }
  const message = headers['grpc-message'];
  if (message !== undefined && message !== '') {
    call.message = percentDecode(message);
  }
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
