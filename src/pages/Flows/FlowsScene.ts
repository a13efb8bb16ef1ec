import { EmbeddedScene, PanelBuilders, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';
import type { WiretraceTarget } from '../../datasource/ref';
import { buildFilterVariables } from '../shared/filterVariables';
import { pageControls } from '../shared/pageControls';
import { withPageFilters, wiretraceRunner } from '../shared/wiretraceQueries';

export const FLOWS_FILTERS = ['namespace', 'pod', 'service', 'kinds', 'search'] as const;

// Flows: every connection, drop, DNS and HTTP exchange, searchable and sortable, filtered from the URL.
export function buildFlowsScene(target: WiretraceTarget): EmbeddedScene {
  const runner = wiretraceRunner(target.ref, [
    { ...withPageFilters({ queryType: 'flows', limit: 5000 }, ['namespace', 'pod', 'service', 'search']), kinds: ['$kinds'] },
  ]);
  const table = PanelBuilders.table()
    .setTitle('Flows, drops and DNS')
    .setDescription('Click a column header to sort; use the column filter for values. Trace ids open the trace, drops open Investigate.')
    .setData(runner)
    .setCustomFieldConfig('filterable', true)
    .setOption('sortBy', [{ displayName: 'time', desc: true }])
    .setNoValue('No flows match these filters in this time range')
    .build();
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: buildFilterVariables(target.ref, [...FLOWS_FILTERS]),
    controls: pageControls(),
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ minHeight: 600, body: table })] }),
  });
}
