// A labelled stand-in for one of Grafana's core panels (AGPL code, not loaded here): it shows each frame's shape
// (name, type hints, fields and their types, rows) as @grafana/ui's Table, and the field links of every row.
import React from 'react';
import { DataFrame, Field, LinkModel, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Table } from '@grafana/ui';

// Enough rows to follow every link of a scenario; more would make the screenshots unreadable.
const MAX_LINK_ROWS = 25;

function followInApp(event: React.MouseEvent<HTMLAnchorElement>, link: LinkModel) {
  if (link.onClick) {
    link.onClick(event);
    return;
  }
  if (link.href.startsWith('/') && link.target !== '_blank') {
    event.preventDefault();
    locationService.push(link.href);
  }
}

function rowLinks(frame: DataFrame): Array<{ row: number; field: Field; links: LinkModel[] }> {
  const out: Array<{ row: number; field: Field; links: LinkModel[] }> = [];
  for (let row = 0; row < Math.min(frame.length, MAX_LINK_ROWS); row++) {
    for (const field of frame.fields) {
      // A table draws a link around the cell's value: an empty cell has nothing to click.
      const value = field.values[row];
      if (!field.config.links?.length || !field.getLinks || value === null || value === undefined || value === '') {
        continue;
      }
      const links = field.getLinks({ valueRowIndex: row });
      if (links.length > 0) {
        out.push({ row, field, links });
      }
    }
  }
  return out;
}

function FrameView({ frame, width, tableHeight }: { frame: DataFrame; width: number; tableHeight: number }) {
  const hint = frame.meta?.preferredVisualisationType;
  const links = rowLinks(frame);
  return (
    <div data-testid="host-frame" data-frame-name={frame.name ?? ''} style={{ marginBottom: 12 }}>
      <div style={{ fontSize: 12, opacity: 0.85 }}>
        frame <b>{frame.name || '(unnamed)'}</b> · refId {frame.refId ?? '-'} · {frame.length} rows
        {hint ? ` · preferredVisualisationType ${hint}` : ''} · fields:{' '}
        {frame.fields.map((f) => `${f.name} (${f.type})`).join(', ')}
      </div>
      {frame.meta?.notices?.map((notice, i) => (
        <div key={i} data-testid="host-frame-notice" style={{ fontSize: 12, color: '#f5b73d' }}>
          notice: {notice.text}
        </div>
      ))}
      {frame.length > 0 && <Table data={frame} width={Math.max(width - 8, 200)} height={tableHeight} />}
      {links.length > 0 && (
        <ul data-testid="host-field-links" style={{ fontSize: 12, margin: '4px 0', paddingLeft: 16 }}>
          {links.map(({ row, field, links: rowFieldLinks }) =>
            rowFieldLinks.map((link, i) => (
              <li key={`${row}-${field.name}-${i}`}>
                row {row} · {field.name}:{' '}
                <a
                  data-testid="host-field-link"
                  data-field={field.name}
                  data-row={row}
                  href={link.href}
                  target={link.target}
                  onClick={(event) => followInApp(event, link)}
                >
                  {link.title || link.href}
                </a>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}

export function standInPanel(panelId: string) {
  function StandInPanel({ data, width, height }: PanelProps) {
    const frames = data.series;
    const tableHeight = Math.max(120, Math.min(260, Math.floor(height / Math.max(frames.length, 1)) - 60));
    return (
      <div data-testid="host-panel-standin" data-panel-type={panelId} style={{ height, width, overflow: 'auto' }}>
        <div style={{ fontSize: 11, textTransform: 'uppercase', letterSpacing: 0.5, color: '#ff9830', marginBottom: 4 }}>
          Stand-in for Grafana&apos;s core “{panelId}” panel (not loaded in the test host): frame shape and field links
        </div>
        {frames.length === 0 ? <div style={{ fontSize: 12 }}>no frames</div> : null}
        {frames.map((frame, i) => (
          <FrameView key={i} frame={frame} width={width} tableHeight={tableHeight} />
        ))}
      </div>
    );
  }
  return StandInPanel;
}
