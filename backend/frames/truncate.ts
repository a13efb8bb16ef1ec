// Caps a frame at the datasource's row limit and says so in a notice, so nothing is dropped silently.
import type { Frame } from './frame';

export function truncateFrame(frame: Frame, maxRows: number): Frame {
  const rows = frame.fields[0]?.values.length ?? 0;
  if (rows <= maxRows) {
    return frame;
  }
  const notice = {
    severity: 'warning' as const,
    text: `Showing the first ${maxRows} of ${rows} rows (the datasource row limit); narrow the query or the time range.`,
  };
  return {
    ...frame,
    fields: frame.fields.map((f) => ({ ...f, values: f.values.slice(0, maxRows) })),
    meta: {
      ...frame.meta,
      notices: [...(frame.meta?.notices ?? []), notice],
      custom: { ...frame.meta?.custom, truncated: true, totalRows: rows },
    },
  };
}
