// The plain typed requests the datasource logic works with; the protocol layer maps gRPC messages to these.
import type { Frame, Notice } from '../frames/frame';
import type { QueryType, WiretraceQueryModel } from '../../model/query';
import type { WiretraceJsonData, WiretraceSecureJsonData } from '../../model/settings';
import type { DatasourceInstance } from '../instance/datasourceInstance';

export interface DatasourceSettings {
  uid: string;
  name: string;
  url?: string;
  jsonData: WiretraceJsonData;
  // Decrypted secrets: never logged, never put in errors or responses.
  secure: WiretraceSecureJsonData;
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  // A logger that adds these key/values to every line.
  with(fields: LogFields): Logger;
}

export interface QueryContext {
  refId: string;
  query: WiretraceQueryModel;
  timeRange: TimeRange;
  maxDataPoints: number;
  intervalMs: number;
  // The datasource instance version answering: its parsed settings and the clients built from them.
  instance: DatasourceInstance;
  // Aborted when Grafana cancels the request or the query times out.
  signal: AbortSignal;
  logger: Logger;
  // Partial-failure warnings; the dispatcher attaches them to the first frame of the response.
  notices: Notice[];
}

export type QueryHandler = (ctx: QueryContext) => Promise<Frame[]>;

export type QueryHandlers = Partial<Record<QueryType, QueryHandler>>;

export type ErrorSource = 'plugin' | 'downstream';

// What a handler throws to answer its query with an HTTP-like status instead of frames.
export class QueryError extends Error {
  readonly status: number;
  readonly source: ErrorSource;

  constructor(status: number, message: string, source: ErrorSource = 'plugin') {
    super(message);
    this.name = 'QueryError';
    this.status = status;
    this.source = source;
  }
}
