import '../../test/installIntersectionObserver';
import { SceneQueryRunner, sceneGraph, VizPanel } from '@grafana/scenes';
import { buildTopologyScene, topologyLinks } from './TopologyScene';

const target = { ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' } };

describe('Topology scene', () => {
  it('draws the topology query as a node graph scoped by namespace and service', () => {
    const scene = buildTopologyScene(target);
    const panel = sceneGraph.findObject(scene, (o) => o instanceof VizPanel) as VizPanel;
    expect(panel.state.pluginId).toBe('nodeGraph');
    const runner = panel.state.$data as SceneQueryRunner;
    expect(runner.state.queries).toEqual([expect.objectContaining({ queryType: 'topology', namespace: '$namespace', service: '$service' })]);
  });

  it('links nodes to the drill-down, flows and drops, keeping the time range', () => {
    const links = topologyLinks();
    expect(links.map((l) => l.title)).toEqual(['Drill down into this namespace', 'Show flows', 'Show drops']);
    expect(links[0].url).toBe('/a/wiretrace-correlation-app/topology?var-namespace=${__data.fields.detail__namespace}&${__url_time_range}');
    expect(links[2].url).toContain('var-kinds=drop&var-kinds=reset');
    expect(links.every((l) => l.url.endsWith('${__url_time_range}'))).toBe(true);
  });
});
