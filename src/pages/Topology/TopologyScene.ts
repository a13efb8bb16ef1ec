import { EmbeddedScene, PanelBuilders, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';
import type { DataLink } from '@grafana/data';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import type { WiretraceTarget } from '../../datasource/ref';
import { buildFilterVariables } from '../shared/filterVariables';
import { pageControls } from '../shared/pageControls';
import { withPageFilters, wiretraceRunner } from '../shared/wiretraceQueries';

// Detail fields of the backend's nodes frame (shown in the node's context menu, readable by links).
const NODE = { namespace: '${__data.fields.detail__namespace}', pod: '${__data.fields.detail__pod}' };

// Clicking a node or an edge offers these; the URL keys are the ones the target pages sync.
export function topologyLinks(): DataLink[] {
  const base = PLUGIN_BASE_URL;
  return [
    {
      title: 'Drill down into this namespace',
      url: `${base}/${ROUTES.Topology}?var-namespace=${NODE.namespace}&\${__url_time_range}`,
    },
    {
      title: 'Show flows',
      url: `${base}/${ROUTES.Flows}?var-namespace=${NODE.namespace}&var-pod=${NODE.pod}&\${__url_time_range}`,
    },
    {
      title: 'Show drops',
      url: `${base}/${ROUTES.Flows}?var-namespace=${NODE.namespace}&var-pod=${NODE.pod}&var-kinds=drop&var-kinds=reset&\${__url_time_range}`,
    },
  ];
}

// Topology: observed traffic as a node graph; a namespace narrows the graph to its workloads and pods.
export function buildTopologyScene(target: WiretraceTarget): EmbeddedScene {
  const runner = wiretraceRunner(target.ref, [withPageFilters({ queryType: 'topology' }, ['namespace', 'service'])]);
  const graph = PanelBuilders.nodegraph()
    .setTitle('Observed traffic')
    .setDescription('Edges are red where drops, resets or errors were seen, amber with retransmits. Click a node to drill down.')
    .setData(runner)
    .setLinks(topologyLinks())
    .build();
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: buildFilterVariables(target.ref, ['namespace', 'service']),
    controls: pageControls(),
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ minHeight: 650, body: graph })] }),
  });
}
