import { getDataSourceSrv } from '@grafana/runtime';
import { DATASOURCE_TYPE, WIRETRACE_DS_UID } from '../constants';

// The provisioned uid when it exists, else the first Wiretrace datasource the user created.
export function wiretraceDatasourceRef() {
  const list = getDataSourceSrv().getList({ type: DATASOURCE_TYPE });
  const chosen = list.find((ds) => ds.uid === WIRETRACE_DS_UID) ?? list[0];
  return { type: DATASOURCE_TYPE, uid: chosen?.uid ?? WIRETRACE_DS_UID };
}
