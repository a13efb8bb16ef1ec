// VictoriaLogs over HTTP: one LogsQL query over a time range, the oldest entries first up to a limit.
import type { TimeRange } from '../datasource/types';
import type { UpstreamClient } from './http';
import { compareLines, type LogRangeResult } from './loki';
import type { LogLine } from './lokiLogLine';
import { victoriaLogsLine } from './victoriaLogsLine';

export interface LogsQLRequest {
  logsQL: string;
  range: TimeRange;
  limit: number;
  signal?: AbortSignal;
}

export class VictoriaLogsClient {
  constructor(private readonly http: UpstreamClient) {}

  get name(): string {
    return this.http.name;
  }

  async query(request: LogsQLRequest): Promise<LogRangeResult> {
    const limit = Math.max(1, Math.floor(request.limit));
    // One more than wanted tells a full range from a truncated one; sorted server-side so the limit keeps the oldest.
    const response = await this.http.request('/select/logsql/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: `${request.logsQL} | sort by (_time) limit ${limit + 1}`,
        start: new Date(Math.floor(request.range.fromMs)).toISOString(),
        end: new Date(Math.ceil(request.range.toMs)).toISOString(),
      }).toString(),
      signal: request.signal,
    });
    const lines: LogLine[] = [];
    let skipped = 0;
    for (const text of response.text.split('\n')) {
      if (text.trim() === '') {
        continue;
      }
      const line = victoriaLogsLine(this.http.parseJson<Record<string, unknown>>('/select/logsql/query', text));
      if (line) {
        lines.push(line);
      } else {
        skipped++;
      }
    }
    lines.sort(compareLines);
    const truncated = lines.length > limit;
    return { lines: lines.slice(0, limit), skipped, pages: 1, truncated };
  }
}
