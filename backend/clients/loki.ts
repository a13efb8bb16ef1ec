// Loki over HTTP: query_range with structured metadata kept apart, paged forward in time within a bound.
import type { TimeRange } from '../datasource/types';
import type { UpstreamClient } from './http';
import type { LogLine } from './lokiLogLine';
import { parseLokiStreams } from './lokiStreams';

export interface LogRangeRequest {
  logQL: string;
  range: TimeRange;
  // Lines wanted in total; pages are fetched until this many or the range is exhausted.
  limit: number;
  pageSize?: number;
  maxPages?: number;
  signal?: AbortSignal;
}

export interface LogRangeResult {
  lines: LogLine[];
  skipped: number;
  pages: number;
  // True when the limit or the page bound stopped paging before the range was exhausted.
  truncated: boolean;
}

const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGES = 10;

export class LokiClient {
  constructor(private readonly http: UpstreamClient) {}

  get name(): string {
    return this.http.name;
  }

  async queryRange(request: LogRangeRequest): Promise<LogRangeResult> {
    const pageSize = Math.max(1, Math.min(request.pageSize ?? DEFAULT_PAGE_SIZE, request.limit));
    const maxPages = request.maxPages ?? DEFAULT_MAX_PAGES;
    const endNs = BigInt(Math.ceil(request.range.toMs)) * 1_000_000n;
    let startNs = BigInt(Math.floor(request.range.fromMs)) * 1_000_000n;
    const lines: LogLine[] = [];
    // Entries at the page boundary's nanosecond, which the next page (starting there) returns again.
    let boundary = new Set<string>();
    let skipped = 0;
    let pages = 0;
    while (pages < maxPages && lines.length < request.limit && startNs < endNs) {
      const page = await this.page(request, startNs, endNs, pageSize);
      pages++;
      skipped += page.skipped;
      page.lines.sort(compareLines);
      for (const line of page.lines) {
        if (!boundary.has(identity(line)) && lines.length < request.limit) {
          lines.push(line);
        }
      }
      if (page.lines.length < pageSize) {
        return { lines, skipped, pages, truncated: false };
      }
      const last = page.lines[page.lines.length - 1].timeNs;
      boundary = new Set(page.lines.filter((l) => l.timeNs === last).map(identity));
      const next = BigInt(last);
      // A full page sharing one nanosecond cannot advance; step past it rather than loop forever.
      startNs = next > startNs ? next : next + 1n;
    }
    return { lines, skipped, pages, truncated: lines.length >= request.limit || startNs < endNs };
  }

  private async page(request: LogRangeRequest, startNs: bigint, endNs: bigint, limit: number) {
    const body = await this.http.getJson<unknown>('/loki/api/v1/query_range', {
      query: {
        query: request.logQL,
        start: startNs.toString(),
        end: endNs.toString(),
        limit,
        direction: 'forward',
      },
      headers: { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' },
      signal: request.signal,
    });
    return parseLokiStreams(body);
  }
}

export function compareLines(a: LogLine, b: LogLine): number {
  return a.timeNs.length - b.timeNs.length || (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0);
}

function identity(line: LogLine): string {
  return `${line.timeNs}\u0000${JSON.stringify(line.labels)}\u0000${line.line}`;
}
