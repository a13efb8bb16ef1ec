import { EmbeddedScene, PanelBuilders, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';
import type { WiretraceTarget } from '../../datasource/ref';
import { buildFilterVariables } from '../shared/filterVariables';
import { pageControls } from '../shared/pageControls';
import { withPageFilters, wiretraceRunner } from '../shared/wiretraceQueries';

// Topology: observed traffic as a node graph; a namespace narrows the graph to its workloads and pods.
export function buildTopologyScene(target: WiretraceTarget): EmbeddedScene {
  const runner = wiretraceRunner(target.ref, [withPageFilters({ queryType: 'topology' }, ['namespace', 'service'])]);
  const graph = PanelBuilders.nodegraph()
    .setTitle('Observed traffic')
    .setDescription(
      'Edges are red where drops, resets or errors were seen, amber with retransmits. Click a node to drill down.'
    )
    // The links come with the backend's fields (nodes: namespace, pod, service, drops; edges: drops), not as
    // panel defaults, which would put every link on every field of both frames.
    .setData(runner)
    .build();
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    $variables: buildFilterVariables(target.ref, ['namespace', 'service']),
    controls: pageControls(),
    body: new SceneFlexLayout({ direction: 'column', children: [new SceneFlexItem({ minHeight: 650, body: graph })] }),
  });
}
