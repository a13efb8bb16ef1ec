/**
 * Reads protobuf JSON (the canonical "protojson" mapping Go's jsonpb and protojson write) into a protobufjs message.
 * Accepts both the proto field names and their lowerCamelCase JSON names, RFC 3339 timestamps, wrapper types as
 * bare values, enums by name or number. Unknown fields are skipped, as protojson's DiscardUnknown does.
 * Wrong value types throw ProtoJsonError naming the field path; callers count those as malformed input.
 */
import protobuf from 'protobufjs';

export class ProtoJsonError extends Error {
  constructor(
    readonly path: string,
    problem: string
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ProtoJsonError';
  }
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type PlainObject = Record<string, unknown>;

const WRAPPERS = new Set([
  '.google.protobuf.BoolValue',
  '.google.protobuf.Int32Value',
  '.google.protobuf.UInt32Value',
  '.google.protobuf.Int64Value',
  '.google.protobuf.UInt64Value',
  '.google.protobuf.StringValue',
  '.google.protobuf.DoubleValue',
  '.google.protobuf.FloatValue',
  '.google.protobuf.BytesValue',
]);

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

// Nanosecond precision survives: Date handles the whole seconds, the fraction is kept as digits.
export function parseRfc3339(value: string): { seconds: string; nanos: number } | undefined {
  const m = RFC3339.exec(value.trim());
  if (!m) {
    return undefined;
  }
  const ms = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  const nanos = m[2] ? Number(m[2].padEnd(9, '0')) : 0;
  return { seconds: String(Math.floor(ms / 1000)), nanos };
}

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const fieldIndexCache = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();

function fieldIndex(type: protobuf.Type): Map<string, protobuf.Field> {
  let index = fieldIndexCache.get(type);
  if (!index) {
    index = new Map();
    for (const field of type.fieldsArray) {
      index.set(field.name, field);
      index.set(lowerCamel(field.name), field);
    }
    fieldIndexCache.set(type, index);
  }
  return index;
}

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convertMessage(type: protobuf.Type, json: unknown, path: string): PlainObject {
  if (!isPlainObject(json)) {
    throw new ProtoJsonError(path, `expected an object for ${type.name}`);
  }
  const out: PlainObject = {};
  const index = fieldIndex(type);
  for (const [key, value] of Object.entries(json)) {
    const field = index.get(key);
    if (!field || value === null) {
      continue;
    }
    const fieldPath = `${path}.${field.name}`;
    if (field.repeated) {
      if (!Array.isArray(value)) {
        throw new ProtoJsonError(fieldPath, 'expected an array');
      }
      out[field.name] = value
        .map((item, i) => convertValue(field, item, `${fieldPath}[${i}]`))
        .filter((item) => item !== undefined);
    } else {
      const converted = convertValue(field, value, fieldPath);
      if (converted !== undefined) {
        out[field.name] = converted;
      }
    }
  }
  return out;
}

function convertValue(field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (resolved.fullName === '.google.protobuf.Timestamp') {
      if (typeof value !== 'string') {
        throw new ProtoJsonError(path, 'expected an RFC 3339 timestamp string');
      }
      const ts = parseRfc3339(value);
      if (!ts) {
        throw new ProtoJsonError(path, `"${value}" is not an RFC 3339 timestamp`);
      }
      return ts;
    }
    if (WRAPPERS.has(resolved.fullName)) {
      return { value: convertScalar(resolved.fields.value, value, path) };
    }
    return convertMessage(resolved, value, path);
  }
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === 'number' && Number.isInteger(value)) {
      return value;
    }
    if (typeof value === 'string') {
      // A name newer than our subset is dropped rather than failing the whole record.
      return value in resolved.values ? value : undefined;
    }
    throw new ProtoJsonError(path, `expected an enum name or number for ${resolved.name}`);
  }
  return convertScalar(field, value, path);
}

function convertScalar(field: protobuf.Field, value: unknown, path: string): unknown {
  switch (field.type) {
    case 'string':
    case 'bytes':
      if (typeof value !== 'string') {
        throw new ProtoJsonError(path, `expected a string`);
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') {
        throw new ProtoJsonError(path, `expected true or false`);
      }
      return value;
    case 'double':
    case 'float':
      if (
        typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
      ) {
        return Number(value);
      }
      throw new ProtoJsonError(path, `expected a number`);
    default:
      // Integer types: protojson writes 64-bit values as decimal strings, 32-bit ones as numbers.
      if (typeof value === 'number' && Number.isInteger(value)) {
        return value;
      }
      if (typeof value === 'string' && /^-?\d+$/.test(value)) {
        return /64$/.test(field.type) ? value : Number(value);
      }
      throw new ProtoJsonError(path, `expected an integer`);
  }
}

/** Builds a protobufjs message of `type` from parsed protobuf JSON. */
export function messageFromProtoJson(type: protobuf.Type, json: JsonValue | unknown): protobuf.Message {
  return type.fromObject(convertMessage(type, json, type.name));
}
