// Loki lines as a Grafana logs frame (data plane "log-lines"), trace ids linked to Tempo and Investigate.
import { FRAME } from '../../model/frameNames';
import type { LogLine } from '../clients/lokiLogLine';
import type { QueryContext } from '../datasource/types';
import type { Frame } from '../frames/frame';
import { traceIdFieldConfig } from './links';
import { column } from './tableColumn';

export function logsFrame(ctx: QueryContext, lines: readonly LogLine[], name: string = FRAME.logs): Frame {
  return {
    name,
    refId: ctx.refId,
    meta: { type: 'log-lines', typeVersion: [0, 0], preferredVisualisationType: 'logs' },
    fields: [
      { ...column(lines, 'timestamp', 'time', (l) => l.timeUs / 1000), nullable: false },
      { ...column(lines, 'body', 'string', (l) => l.line), nullable: false },
      column(
        lines,
        'severity',
        'string',
        (l) =>
          l.structuredMetadata.detected_level ??
          l.labels.level ??
          l.parsed.level ??
          // OpenTelemetry log records (VictoriaLogs keeps their severity text as a field).
          l.structuredMetadata.severity_text?.toLowerCase()
      ),
      column(lines, 'id', 'string', (l) => `${l.timeNs}_${hash(l.line)}`),
      column(lines, 'labels', 'json', (l) => ({ ...l.labels, ...l.structuredMetadata, ...l.parsed })),
      column(lines, 'tsNs', 'string', (l) => l.timeNs),
      column(lines, 'trace_id', 'string', (l) => l.traceId, traceIdFieldConfig(ctx)),
    ],
  };
}

// Short stable id suffix so two lines in the same nanosecond stay distinct.
function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return (h >>> 0).toString(16);
}
