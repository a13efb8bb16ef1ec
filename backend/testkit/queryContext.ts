// A QueryContext for handler tests and benchmarks, with a logger that records instead of printing.
import type { WiretraceQueryModel } from '../../model/query';
import type { WiretraceJsonData } from '../../model/settings';
import type { LogFields, Logger, QueryContext } from '../datasource/types';
import { DatasourceInstance } from '../instance/datasourceInstance';

export function recordingLogger(lines: Array<{ level: string; message: string; fields?: LogFields }> = []): Logger {
  const log = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    with: () => recordingLogger(lines),
  };
}

export function queryContext(
  query: WiretraceQueryModel,
  jsonData: WiretraceJsonData,
  range: { fromMs: number; toMs: number }
): QueryContext {
  const instance = new DatasourceInstance({ uid: `test-${Math.random()}`, name: 'Wiretrace', jsonData, secure: {} });
  return {
    refId: 'A',
    query,
    timeRange: range,
    maxDataPoints: 100,
    intervalMs: 1000,
    instance,
    signal: new AbortController().signal,
    logger: recordingLogger(),
    notices: [],
  };
}
