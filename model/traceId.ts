// Trace ids are compared everywhere as lowercase, zero-padded 32-hex (Tempo search strips zeros, Tempo JSON uses base64).

const HEX = /^[0-9a-f]+$/;

export function normalizeTraceId(raw: string | undefined | null): string | undefined {
  if (!raw) {
    return undefined;
  }
  const hex = raw.trim().toLowerCase();
  if (hex.length === 0 || hex.length > 32 || !HEX.test(hex) || /^0+$/.test(hex)) {
    return undefined;
  }
  return hex.padStart(32, '0');
}

export function normalizeSpanId(raw: string | undefined | null): string | undefined {
  if (!raw) {
    return undefined;
  }
  const hex = raw.trim().toLowerCase();
  if (hex.length === 0 || hex.length > 16 || !HEX.test(hex) || /^0+$/.test(hex)) {
    return undefined;
  }
  return hex.padStart(16, '0');
}

// Tempo's OTLP JSON carries ids as base64 of the raw bytes.
export function traceIdFromBase64(b64: string): string | undefined {
  return normalizeTraceId(Buffer.from(b64, 'base64').toString('hex'));
}

export function spanIdFromBase64(b64: string): string | undefined {
  return normalizeSpanId(Buffer.from(b64, 'base64').toString('hex'));
}
