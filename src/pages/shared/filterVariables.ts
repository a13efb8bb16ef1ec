import { CustomVariable, QueryVariable, SceneVariable, SceneVariableSet, TextBoxVariable } from '@grafana/scenes';
import { type DataSourceRef, VariableRefresh, VariableSort } from '@grafana/schema';
import { EVENT_KINDS } from '../../datasource/query/queryFields';

// "All" is sent as "*", which the datasource turns into "no filter" before the query leaves the browser.
export const ALL_VALUE = '*';

export type FilterName = 'namespace' | 'pod' | 'service' | 'search' | 'kinds';

function resourceVariable(datasource: DataSourceRef, name: string, label: string, query: string): QueryVariable {
  return new QueryVariable({
    name,
    label,
    datasource,
    query,
    includeAll: true,
    defaultToAll: true,
    allValue: ALL_VALUE,
    allowCustomValue: true,
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
  });
}

// The page filters, synced to the URL as var-namespace, var-pod, … so every view is a shareable link.
export function buildFilterVariables(datasource: DataSourceRef, names: FilterName[]): SceneVariableSet {
  const builders: Record<FilterName, () => SceneVariable> = {
    namespace: () => resourceVariable(datasource, 'namespace', 'Namespace', 'namespaces'),
    pod: () => resourceVariable(datasource, 'pod', 'Pod', 'pods?namespace=$namespace'),
    service: () => resourceVariable(datasource, 'service', 'Service', 'services?namespace=$namespace'),
    search: () => new TextBoxVariable({ name: 'search', label: 'Search', value: '' }),
    kinds: () =>
      new CustomVariable({
        name: 'kinds',
        label: 'Kinds',
        query: EVENT_KINDS.join(','),
        isMulti: true,
        includeAll: true,
        defaultToAll: true,
        allValue: ALL_VALUE,
      }),
  };
  return new SceneVariableSet({ variables: names.map((n) => builders[n]()) });
}
