// OTLP JSON attribute values and times as gogo/jsonpb writes them (int64 as strings, enums as names).
import type { Attributes, AttributeValue } from './tempoSpan';

export interface OtlpKeyValue {
  key?: unknown;
  value?: unknown;
}

export function otlpAttributes(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) {
    return out;
  }
  for (const kv of list as OtlpKeyValue[]) {
    if (kv && typeof kv.key === 'string') {
      const value = otlpValue(kv.value);
      if (value !== undefined) {
        out[kv.key] = value;
      }
    }
  }
  return out;
}

export function otlpValue(raw: unknown): AttributeValue | undefined {
  if (!raw || typeof raw !== 'object') {
    return undefined;
  }
  const v = raw as Record<string, unknown>;
  if (typeof v.stringValue === 'string') {
    return v.stringValue;
  }
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isFinite(n) ? n : String(v.intValue);
  }
  if (typeof v.doubleValue === 'number' || typeof v.doubleValue === 'string') {
    return Number(v.doubleValue);
  }
  if (typeof v.boolValue === 'boolean') {
    return v.boolValue;
  }
  if (v.arrayValue && typeof v.arrayValue === 'object') {
    const values = (v.arrayValue as { values?: unknown }).values;
    return Array.isArray(values) ? values.map(otlpValue).filter((x): x is AttributeValue => x !== undefined) : [];
  }
  if (v.kvlistValue && typeof v.kvlistValue === 'object') {
    return otlpAttributes((v.kvlistValue as { values?: unknown }).values);
  }
  if (typeof v.bytesValue === 'string') {
    return v.bytesValue;
  }
  return undefined;
}

// Nanosecond timestamps arrive as decimal strings beyond 2^53; microseconds fit a double exactly.
export function nanosToMicros(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    return Math.floor(raw / 1000);
  }
  if (typeof raw === 'string' && /^\d+$/.test(raw)) {
    return raw.length <= 3 ? 0 : Number(raw.slice(0, -3));
  }
  return undefined;
}
