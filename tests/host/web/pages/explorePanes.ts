// Explore's URL state as the links of frames write it: `panes` (Grafana 10+) or the older `left`.
import type { DataQuery } from '@grafana/data';

export interface ExplorePane {
  datasource: string;
  queries: DataQuery[];
  range: { from: string; to: string };
}

export function parsePanes(search: string): ExplorePane[] {
  const params = new URLSearchParams(search);
  const panes = params.get('panes');
  if (panes) {
    return Object.values(JSON.parse(panes) as Record<string, ExplorePane>);
  }
  const left = params.get('left');
  if (left) {
    const parsed = JSON.parse(left) as ExplorePane | [string, string, string, ...unknown[]];
    if (Array.isArray(parsed)) {
      const [from, to, datasource, ...queries] = parsed;
      return [{ datasource, queries: queries as DataQuery[], range: { from, to } }];
    }
    return [parsed];
  }
  return [];
}

export function rangeValue(v: string | number | undefined, fallback: string): string {
  return v === undefined || v === '' ? fallback : String(v);
}
