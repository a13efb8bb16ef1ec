// The typed data frame the datasource logic builds; the protocol layer encodes it to Arrow for Grafana.

export type FieldType = 'time' | 'number' | 'int64' | 'string' | 'boolean' | 'json';

export interface InternalLink {
  datasourceUid: string;
  datasourceName?: string;
  query: Record<string, unknown>;
}

export interface DataLink {
  title: string;
  url: string;
  targetBlank?: boolean;
  internal?: InternalLink;
}

export interface FieldConfig {
  displayName?: string;
  displayNameFromDS?: string;
  unit?: string;
  decimals?: number;
  links?: DataLink[];
  custom?: Record<string, unknown>;
  color?: Record<string, unknown>;
  [key: string]: unknown;
}

// Values: time → epoch milliseconds (number) or nanoseconds (bigint); int64 → number or bigint; json → any value.
export type FieldValue = number | bigint | string | boolean | null | unknown;

export interface Field {
  name: string;
  type: FieldType;
  values: FieldValue[];
  // Whether nulls are allowed; encoded as a nullable Arrow column.
  nullable?: boolean;
  config?: FieldConfig;
  labels?: Record<string, string>;
}

export type NoticeSeverity = 'info' | 'warning' | 'error';

export interface Notice {
  severity: NoticeSeverity;
  text: string;
  link?: string;
  inspect?: 'meta' | 'error' | 'data' | 'stats';
}

export type PreferredVisualisation = 'graph' | 'table' | 'logs' | 'trace' | 'nodeGraph' | 'flamegraph';

export interface FrameMeta {
  type?: string;
  typeVersion?: [number, number];
  notices?: Notice[];
  preferredVisualisationType?: PreferredVisualisation;
  executedQueryString?: string;
  custom?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Frame {
  name?: string;
  refId?: string;
  meta?: FrameMeta;
  fields: Field[];
}
