import { locationUtil, urlUtil } from '@grafana/data';
import type { TraceStoreKind } from '../../../model/settings';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { traceIdQuery } from '../../datasource/traceStoreLink';

export interface TimeWindow {
  from: string;
  to: string;
}

export interface InvestigateTarget {
  traceId?: string;
  drop?: string;
}

// Links between the app's own pages, in the same URL keys the pages sync their state to.
// Each carries Grafana's sub-path (appSubUrl) when it is served under one; Grafana strips it when it navigates.
export function investigateUrl(target: InvestigateTarget, time?: TimeWindow): string {
  return locationUtil.assureBaseUrl(
    urlUtil.renderUrl(`${PLUGIN_BASE_URL}/${ROUTES.Investigate}`, { ...target, ...time })
  );
}

export function flowsUrl(
  filters: { namespace?: string; pod?: string; service?: string; kinds?: string[] },
  time?: TimeWindow
): string {
  const params: Record<string, string | string[] | undefined> = {
    'var-namespace': filters.namespace,
    'var-pod': filters.pod,
    'var-service': filters.service,
    'var-kinds': filters.kinds,
    ...time,
  };
  return locationUtil.assureBaseUrl(urlUtil.renderUrl(`${PLUGIN_BASE_URL}/${ROUTES.Flows}`, params));
}

// Explore with one query of another datasource (Tempo or Jaeger by trace id, Loki by LogQL).
export function exploreUrl(datasourceUid: string, query: Record<string, unknown>, time: TimeWindow): string {
  const panes = {
    wt: {
      datasource: datasourceUid,
      queries: [{ refId: 'A', datasource: { uid: datasourceUid }, ...query }],
      range: time,
    },
  };
  // No orgId: Explore opens in the organisation the user is in.
  return locationUtil.assureBaseUrl(urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify(panes) }));
}

export function tempoTraceExploreUrl(tempoUid: string, traceId: string, time: TimeWindow): string {
  return exploreUrl(tempoUid, traceIdQuery('tempo', traceId), time);
}

// The trace in the Grafana datasource of the configured trace store (Tempo or Jaeger).
export function traceExploreUrl(
  store: { kind: TraceStoreKind; uid: string },
  traceId: string,
  time: TimeWindow
): string {
  return exploreUrl(store.uid, traceIdQuery(store.kind, traceId), time);
}

export function lokiTraceLogsExploreUrl(lokiUid: string, traceId: string, time: TimeWindow): string {
  // Application logs carry trace_id as a JSON field or structured metadata; the line filter finds both.
  return exploreUrl(lokiUid, { expr: `{service_name=~".+"} |= "${traceId}"`, queryType: 'range' }, time);
}
