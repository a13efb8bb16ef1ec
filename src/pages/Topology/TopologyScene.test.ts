import '../../test/installIntersectionObserver';
import { SceneQueryRunner, sceneGraph, VizPanel } from '@grafana/scenes';
import { buildTopologyScene } from './TopologyScene';

const target = { ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' } };

describe('Topology scene', () => {
  it('draws the topology query as a node graph scoped by namespace and service', () => {
    const scene = buildTopologyScene(target);
    const panel = sceneGraph.findObject(scene, (o) => o instanceof VizPanel) as VizPanel;
    expect(panel.state.pluginId).toBe('nodeGraph');
    const runner = panel.state.$data as SceneQueryRunner;
    expect(runner.state.queries).toEqual([
      expect.objectContaining({ queryType: 'topology', namespace: '$namespace', service: '$service' }),
    ]);
  });

  it('sets no panel-default links: each link lives on its own field of the backend frames', () => {
    const scene = buildTopologyScene(target);
    const panel = sceneGraph.findObject(scene, (o) => o instanceof VizPanel) as VizPanel;
    expect(panel.state.fieldConfig.defaults.links ?? []).toEqual([]);
  });
});
