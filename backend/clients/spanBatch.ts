// Spans as columns: typed arrays for what the join scans (times, kind, status, resource), strings interned once.
// Built where spans are parsed, so a million spans cost a few arrays instead of a million objects.
import { HexIdColumn } from './hexIdColumn';
import type { Attributes, AttributeValue, Span, SpanKind, SpanStatusCode } from './tempoSpan';

export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const STATUS_CODES: readonly SpanStatusCode[] = ['unset', 'ok', 'error'];

const KIND_CODE = new Map<SpanKind, number>(SPAN_KINDS.map((k, i) => [k, i]));
const STATUS_CODE = new Map<SpanStatusCode, number>(STATUS_CODES.map((s, i) => [s, i]));
const NO_STRING = -1;
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

export interface SpanRow {
  traceId: string;
  spanId: string;
  name: string;
  kind: SpanKind;
  startUs: number;
  endUs: number;
  statusCode: SpanStatusCode;
  statusMessage?: string;
  service: string;
  // Ids from SpanBatchBuilder.internResource / internAttributes.
  resource: number;
  attributes: number;
}

export interface SpanBatch {
  readonly size: number;
  readonly traceIds: HexIdColumn;
  readonly spanIds: HexIdColumn;
  // Only the spans that have a parent.
  readonly parentSpanIds: ReadonlyMap<number, string>;
  readonly kind: Uint8Array;
  readonly status: Uint8Array;
  readonly startUs: Float64Array;
  readonly endUs: Float64Array;
  // Indices into strings; statusMessage is -1 when the span has none.
  readonly name: Uint32Array;
  readonly service: Uint32Array;
  readonly statusMessage: Int32Array;
  readonly strings: readonly string[];
  // Indices into resources / attributeSets, each distinct set stored once.
  readonly resource: Uint32Array;
  readonly resources: readonly Attributes[];
  readonly attributes: Uint32Array;
  readonly attributeSets: readonly Attributes[];
}

export function traceIdAt(batch: SpanBatch, i: number): string {
  return batch.traceIds.get(i);
}

export function spanIdAt(batch: SpanBatch, i: number): string {
  return batch.spanIds.get(i);
}

export function spanKindAt(batch: SpanBatch, i: number): SpanKind {
  return SPAN_KINDS[batch.kind[i]];
}

export function statusCodeAt(batch: SpanBatch, i: number): SpanStatusCode {
  return STATUS_CODES[batch.status[i]];
}

export function statusMessageAt(batch: SpanBatch, i: number): string | undefined {
  const id = batch.statusMessage[i];
  return id === NO_STRING ? undefined : batch.strings[id];
}

export function serviceAt(batch: SpanBatch, i: number): string {
  return batch.strings[batch.service[i]];
}

export function nameAt(batch: SpanBatch, i: number): string {
  return batch.strings[batch.name[i]];
}

// One span as an object again, for the few consumers that want one (trace views, tests).
export function spanAt(batch: SpanBatch, i: number): Span {
  const span: Span = {
    traceId: traceIdAt(batch, i),
    spanId: spanIdAt(batch, i),
    name: nameAt(batch, i),
    kind: spanKindAt(batch, i),
    startUs: batch.startUs[i],
    endUs: batch.endUs[i],
    status: { code: statusCodeAt(batch, i), message: statusMessageAt(batch, i) },
    service: serviceAt(batch, i),
    resource: batch.resources[batch.resource[i]],
    attributes: batch.attributeSets[batch.attributes[i]],
    events: [],
  };
  const parent = batch.parentSpanIds.get(i);
  if (parent !== undefined) {
    span.parentSpanId = parent;
  }
  return span;
}

export class SpanBatchBuilder {
  private size = 0;
  private capacity: number;
  private readonly traceIds: HexIdColumn;
  private readonly spanIds: HexIdColumn;
  private readonly parentSpanIds = new Map<number, string>();
  private kind: Uint8Array;
  private status: Uint8Array;
  private startUs: Float64Array;
  private endUs: Float64Array;
  private name: Uint32Array;
  private service: Uint32Array;
  private statusMessage: Int32Array;
  private resource: Uint32Array;
  private attributes: Uint32Array;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly resources: Attributes[] = [];
  private readonly attributeSets: Attributes[] = [];
  private readonly resourceIds = new Map<string, number>();
  private readonly attributeSetIds = new Map<string, number>();

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    this.traceIds = new HexIdColumn(TRACE_ID_BYTES, this.capacity);
    this.spanIds = new HexIdColumn(SPAN_ID_BYTES, this.capacity);
    this.kind = new Uint8Array(this.capacity);
    this.status = new Uint8Array(this.capacity);
    this.startUs = new Float64Array(this.capacity);
    this.endUs = new Float64Array(this.capacity);
    this.name = new Uint32Array(this.capacity);
    this.service = new Uint32Array(this.capacity);
    this.statusMessage = new Int32Array(this.capacity);
    this.resource = new Uint32Array(this.capacity);
    this.attributes = new Uint32Array(this.capacity);
  }

  get length(): number {
    return this.size;
  }

  // key: any string equal for equal sets (a parser builds one while reading); the content key by default.
  internResource(resource: Attributes, key = attributesKey(resource)): number {
    return internSet(resource, key, this.resources, this.resourceIds);
  }

  internAttributes(attributes: Attributes, key = attributesKey(attributes)): number {
    return internSet(attributes, key, this.attributeSets, this.attributeSetIds);
  }

  add(row: SpanRow, parentSpanId?: string): number {
    if (this.size === this.capacity) {
      this.grow();
    }
    const i = this.size++;
    this.traceIds.set(i, row.traceId);
    this.spanIds.set(i, row.spanId);
    if (parentSpanId !== undefined) {
      this.parentSpanIds.set(i, parentSpanId);
    }
    this.kind[i] = KIND_CODE.get(row.kind) ?? 0;
    this.status[i] = STATUS_CODE.get(row.statusCode) ?? 0;
    this.startUs[i] = row.startUs;
    this.endUs[i] = row.endUs;
    this.name[i] = this.intern(row.name);
    this.service[i] = this.intern(row.service);
    this.statusMessage[i] = row.statusMessage ? this.intern(row.statusMessage) : NO_STRING;
    this.resource[i] = row.resource;
    this.attributes[i] = row.attributes;
    return i;
  }

  addSpan(span: Span): number {
    return this.add(
      {
        traceId: span.traceId,
        spanId: span.spanId,
        name: span.name,
        kind: span.kind,
        startUs: span.startUs,
        endUs: span.endUs,
        statusCode: span.status.code,
        statusMessage: span.status.message,
        service: span.service,
        resource: this.internResource(span.resource),
        attributes: this.internAttributes(span.attributes),
      },
      span.parentSpanId
    );
  }

  build(): SpanBatch {
    const n = this.size;
    return {
      size: n,
      traceIds: this.traceIds,
      spanIds: this.spanIds,
      parentSpanIds: this.parentSpanIds,
      kind: this.kind.subarray(0, n),
      status: this.status.subarray(0, n),
      startUs: this.startUs.subarray(0, n),
      endUs: this.endUs.subarray(0, n),
      name: this.name.subarray(0, n),
      service: this.service.subarray(0, n),
      statusMessage: this.statusMessage.subarray(0, n),
      strings: this.strings,
      resource: this.resource.subarray(0, n),
      resources: this.resources,
      attributes: this.attributes.subarray(0, n),
      attributeSets: this.attributeSets,
    };
  }

  private intern(value: string): number {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    this.traceIds.grow(this.capacity);
    this.spanIds.grow(this.capacity);
    const grown = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(
      old: T,
      make: new (n: number) => T
    ) => {
      const next = new make(this.capacity);
      next.set(old);
      return next;
    };
    this.kind = grown(this.kind, Uint8Array);
    this.status = grown(this.status, Uint8Array);
    this.startUs = grown(this.startUs, Float64Array);
    this.endUs = grown(this.endUs, Float64Array);
    this.name = grown(this.name, Uint32Array);
    this.service = grown(this.service, Uint32Array);
    this.statusMessage = grown(this.statusMessage, Int32Array);
    this.resource = grown(this.resource, Uint32Array);
    this.attributes = grown(this.attributes, Uint32Array);
  }
}

function internSet(set: Attributes, key: string, sets: Attributes[], ids: Map<string, number>): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = sets.length;
    sets.push(set);
    ids.set(key, id);
  }
  return id;
}

export function spanBatchOf(spans: readonly Span[]): SpanBatch {
  const builder = new SpanBatchBuilder(spans.length);
  for (const span of spans) {
    builder.addSpan(span);
  }
  return builder.build();
}

// Content key of an attribute set; key order does not matter.
function attributesKey(set: Attributes): string {
  return Object.keys(set)
    .sort()
    .map((k) => `${k}\u0000${valueKey(set[k])}`)
    .join('\u0001');
}

function valueKey(value: AttributeValue): string {
  return typeof value === 'string'
    ? `s${value}`
    : typeof value === 'object'
      ? `j${JSON.stringify(value)}`
      : `${(typeof value)[0]}${value}`;
}
