import type { DataSourceInstanceSettings } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import type { DataSourceRef } from '@grafana/schema';
import { DATASOURCE_TYPE, WIRETRACE_DS_UID } from '../constants';
import { traceStoreLink, type TraceStoreLink } from './traceStoreLink';
import type { WiretraceJsonData } from './types';

export interface WiretraceTarget {
  ref: DataSourceRef;
  // The Tempo/Loki datasources the Wiretrace datasource is configured to link to.
  tempoUid?: string;
  lokiUid?: string;
  // The configured trace store (Tempo or Jaeger) and the datasource its traces open in.
  traceStore?: TraceStoreLink;
}

// The provisioned uid when it exists, else the first Wiretrace datasource the user created.
export function findWiretraceDatasource(): WiretraceTarget | undefined {
  const list = getDataSourceSrv().getList({ type: DATASOURCE_TYPE }) as Array<DataSourceInstanceSettings<WiretraceJsonData>>;
  const chosen = list.find((ds) => ds.uid === WIRETRACE_DS_UID) ?? list[0];
  if (!chosen) {
    return undefined;
  }
  return {
    ref: { type: DATASOURCE_TYPE, uid: chosen.uid },
    tempoUid: chosen.jsonData?.tempo?.datasourceUid,
    lokiUid: chosen.jsonData?.loki?.datasourceUid,
    traceStore: traceStoreLink(chosen.jsonData),
  };
}
