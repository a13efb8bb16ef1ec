import { DataFrame, Field, FieldType } from '@grafana/data';
import type { CustomTransformOperator } from '@grafana/scenes';
import { map } from 'rxjs';
import { DROP_COLUMN, ENDPOINT_COLUMN } from '../../../model/frameNames';

// Panels find columns by the first name present: the backend's frames name ends src_*/dst_*.
export function findField(frame: DataFrame, names: readonly string[]): Field | undefined {
  for (const name of names) {
    const field = frame.fields.find((f) => f.name === name || f.config.displayNameFromDS === name);
    if (field) {
      return field;
    }
  }
  return undefined;
}

function cell(field: Field | undefined, row: number): string {
  const value: unknown = field?.values[row];
  return value === null || value === undefined ? '' : String(value);
}

export type RowPredicate = (read: (names: readonly string[]) => string) => boolean;

// Keeps the rows a predicate accepts, in every frame; frames without rows left are kept empty (not dropped).
export function keepRows(frames: DataFrame[], predicate: RowPredicate): DataFrame[] {
  return frames.map((frame) => {
    const keep: number[] = [];
    for (let row = 0; row < frame.length; row++) {
      if (predicate((names) => cell(findField(frame, names), row))) {
        keep.push(row);
      }
    }
    return {
      ...frame,
      length: keep.length,
      fields: frame.fields.map((f) => ({ ...f, values: keep.map((i) => f.values[i]) })),
    };
  });
}

// Best first: a service name when the frame has one, else the pod, else the address, else a one-column endpoint.
export const SOURCE_FIELDS = [ENDPOINT_COLUMN.srcPod, ENDPOINT_COLUMN.srcIp, ENDPOINT_COLUMN.source] as const;
export const DESTINATION_FIELDS = [
  ENDPOINT_COLUMN.dstService,
  ENDPOINT_COLUMN.dstPod,
  ENDPOINT_COLUMN.dstIp,
  ENDPOINT_COLUMN.destination,
] as const;
const NAMESPACE_OF = { src: [ENDPOINT_COLUMN.srcNamespace], dst: [ENDPOINT_COLUMN.dstNamespace] } as const;

// The first non-empty value of a row among candidate columns: a pod name when known, else the IP.
function firstValue(frame: DataFrame, names: readonly string[], row: number): string {
  for (const name of names) {
    const value = cell(findField(frame, [name]), row);
    if (value !== '') {
      return value;
    }
  }
  return '';
}

// Counts drops per source → destination pair, most frequent first.
export function topPairs(frames: DataFrame[], limit: number): DataFrame {
  const counts = new Map<string, { source: string; destination: string; drops: number }>();
  for (const frame of frames) {
    if (!findField(frame, SOURCE_FIELDS) || !findField(frame, DESTINATION_FIELDS)) {
      continue;
    }
    for (let row = 0; row < frame.length; row++) {
      const source = qualified(firstValue(frame, NAMESPACE_OF.src, row), firstValue(frame, SOURCE_FIELDS, row));
      const destination = qualified(
        firstValue(frame, NAMESPACE_OF.dst, row),
        firstValue(frame, DESTINATION_FIELDS, row)
      );
      const key = `${source}\u0000${destination}`;
      const entry = counts.get(key) ?? { source, destination, drops: 0 };
      entry.drops++;
      counts.set(key, entry);
    }
  }
  const rows = [...counts.values()]
    .sort((a, b) => b.drops - a.drops || a.source.localeCompare(b.source))
    .slice(0, limit);
  return {
    name: 'top denied pairs',
    length: rows.length,
    fields: [
      { name: 'source', type: FieldType.string, config: {}, values: rows.map((r) => r.source) },
      { name: 'destination', type: FieldType.string, config: {}, values: rows.map((r) => r.destination) },
      { name: 'drops', type: FieldType.number, config: {}, values: rows.map((r) => r.drops) },
    ],
  };
}

function qualified(namespace: string, name: string): string {
  // IPs stay bare: a namespace in front of an address would read as a pod name.
  return namespace && name && !/^(\d{1,3}\.){3}\d{1,3}$|:/.test(name) ? `${namespace}/${name}` : name || '(unknown)';
}

export function keepRowsTransform(predicate: RowPredicate): CustomTransformOperator {
  return () => (source) => source.pipe(map((frames) => keepRows(frames, predicate)));
}

export function topPairsTransform(limit: number): CustomTransformOperator {
  return () => (source) => source.pipe(map((frames) => [topPairs(frames, limit)]));
}

// Keeps the frames a query returned under these names (a query may answer with several frames).
export function pickFrames(frames: DataFrame[], names: readonly string[]): DataFrame[] {
  return frames.filter((f) => f.name !== undefined && names.includes(f.name));
}

export function pickFramesTransform(...names: string[]): CustomTransformOperator {
  return () => (source) => source.pipe(map((frames) => pickFrames(frames, names)));
}

// The trace frame of a traceNetwork answer: the one the backend marks for the traces panel.
export function pickTraceTransform(): CustomTransformOperator {
  return () => (source) =>
    source.pipe(map((frames) => frames.filter((f) => f.meta?.preferredVisualisationType === 'trace')));
}

export const isDropOrReset: RowPredicate = (read) => ['drop', 'reset'].includes(read(['kind']));

// A drop a policy denied: the source said so, or the explanation found a denying direction.
export const isPolicyDenial: RowPredicate = (read) =>
  read([DROP_COLUMN.verdict]) === 'denied' ||
  read([DROP_COLUMN.reason]) === 'policy_denied' ||
  /\bdenied\b/.test(read([DROP_COLUMN.explanation]));
