// Builds one Arrow column (Data) per frame field from plain JS values, writing the buffers directly:
// strings stay plain Utf8 (never dictionary-encoded), time is Timestamp(ns) over BigInt64, JSON is Binary.
import {
  Binary,
  Bool,
  Float64,
  Int64,
  TimestampNanosecond,
  Utf8,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import type { Field, FieldType, FieldValue } from './frame';

export class FrameEncodingError extends Error {
  constructor(field: string, message: string) {
    super(`field ${JSON.stringify(field)}: ${message}`);
    this.name = 'FrameEncodingError';
  }
}

// The tstype marker Grafana's SDK writes next to each Arrow field.
export const TS_TYPE: Record<FieldType, string> = {
  time: 'time',
  number: 'number',
  int64: 'number',
  string: 'string',
  boolean: 'boolean',
  json: 'other',
};

export function arrowTypeOf(type: FieldType): DataType {
  switch (type) {
    case 'time':
      return new TimestampNanosecond();
    case 'number':
      return new Float64();
    case 'int64':
      return new Int64();
    case 'string':
      return new Utf8();
    case 'boolean':
      return new Bool();
    case 'json':
      return new Binary();
  }
}

export function isNullValue(value: FieldValue): boolean {
  return value === null || value === undefined;
}

// Whether the Arrow column is nullable: as declared, else whenever a null is present.
export function fieldIsNullable(field: Field): boolean {
  if (field.nullable !== undefined) {
    return field.nullable;
  }
  return field.values.some(isNullValue);
}

export function buildColumn(field: Field, nullable: boolean): Data {
  const length = field.values.length;
  const validity = nullable ? validityBitmap(field, length) : undefined;
  if (!nullable) {
    const row = field.values.findIndex(isNullValue);
    if (row >= 0) {
      throw new FrameEncodingError(field.name, `null at row ${row} in a field declared non-nullable`);
    }
  }
  const common = { length, nullCount: validity?.nullCount ?? 0, nullBitmap: validity?.bitmap };
  switch (field.type) {
    case 'time':
      return makeData({ type: new TimestampNanosecond(), ...common, data: timeNanos(field) });
    case 'number':
      return makeData({ type: new Float64(), ...common, data: float64s(field) });
    case 'int64':
      return makeData({ type: new Int64(), ...common, data: int64s(field) });
    case 'boolean':
      return makeData({ type: new Bool(), ...common, data: bools(field) });
    case 'string': {
      const { offsets, bytes } = utf8Values(field, stringOf);
      return makeData({ type: new Utf8(), ...common, valueOffsets: offsets, data: bytes });
    }
    case 'json': {
      const { offsets, bytes } = utf8Values(field, (v) => JSON.stringify(v) ?? 'null');
      return makeData({ type: new Binary(), ...common, valueOffsets: offsets, data: bytes });
    }
    default:
      throw new FrameEncodingError(field.name, `unknown field type ${JSON.stringify(field.type)}`);
  }
}

function validityBitmap(field: Field, length: number): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (isNullValue(field.values[i])) {
      nullCount++;
    } else {
      bitmap[i >> 3] |= 1 << (i & 7);
    }
  }
  return { bitmap, nullCount };
}

function timeNanos(field: Field): BigInt64Array {
  const out = new BigInt64Array(field.values.length);
  field.values.forEach((v, i) => {
    if (isNullValue(v)) {
      return;
    }
    if (typeof v === 'bigint') {
      out[i] = v;
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      // Milliseconds, possibly fractional (microsecond events): split to keep ns precision beyond 2^53.
      const ms = Math.trunc(v);
      out[i] = BigInt(ms) * 1_000_000n + BigInt(Math.round((v - ms) * 1e6));
    } else if (v instanceof Date && !Number.isNaN(v.getTime())) {
      out[i] = BigInt(v.getTime()) * 1_000_000n;
    } else {
      throw new FrameEncodingError(field.name, `row ${i} is not a time (epoch ms number, ns bigint or Date)`);
    }
  });
  return out;
}

function float64s(field: Field): Float64Array {
  const out = new Float64Array(field.values.length);
  field.values.forEach((v, i) => {
    if (typeof v === 'number') {
      out[i] = v;
    } else if (typeof v === 'bigint') {
      out[i] = Number(v);
    } else if (!isNullValue(v)) {
      throw new FrameEncodingError(field.name, `row ${i} is not a number`);
    }
  });
  return out;
}

function int64s(field: Field): BigInt64Array {
  const out = new BigInt64Array(field.values.length);
  field.values.forEach((v, i) => {
    if (typeof v === 'bigint') {
      out[i] = v;
    } else if (typeof v === 'number' && Number.isInteger(v)) {
      out[i] = BigInt(v);
    } else if (!isNullValue(v)) {
      throw new FrameEncodingError(field.name, `row ${i} is not an integer`);
    }
  });
  return out;
}

function bools(field: Field): Uint8Array {
  const out = new Uint8Array(Math.ceil(field.values.length / 8));
  field.values.forEach((v, i) => {
    if (v === true) {
      out[i >> 3] |= 1 << (i & 7);
    } else if (v !== false && !isNullValue(v)) {
      throw new FrameEncodingError(field.name, `row ${i} is not a boolean`);
    }
  });
  return out;
}

function stringOf(v: FieldValue): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// Well below V8's longest string, so joining a column never fails.
const MAX_JOINED_CHARS = 1 << 27;

// Offsets + one UTF-8 buffer. The column's text is encoded in one call; when it is all ASCII (bytes = characters)
// the offsets are the character counts, otherwise each value is measured and written on its own.
function utf8Values(field: Field, toText: (v: FieldValue) => string): { offsets: Int32Array; bytes: Uint8Array } {
  const n = field.values.length;
  const texts: string[] = new Array(n);
  const offsets = new Int32Array(n + 1);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const v = field.values[i];
    const text = isNullValue(v) ? '' : toText(v);
    texts[i] = text;
    chars += text.length;
    offsets[i + 1] = chars;
  }
  if (chars <= MAX_JOINED_CHARS) {
    const whole = Buffer.from(texts.join(''), 'utf8');
    if (whole.byteLength === chars) {
      return { offsets, bytes: new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength) };
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += Buffer.byteLength(texts[i], 'utf8');
    if (total > 0x7fffffff) {
      throw new FrameEncodingError(field.name, 'more than 2 GiB of text in one column');
    }
    offsets[i + 1] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  for (let i = 0; i < n; i++) {
    bytes.write(texts[i], offsets[i], 'utf8');
  }
  return { offsets, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
