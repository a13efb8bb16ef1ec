import '../../test/installIntersectionObserver';
import { CustomVariable, SceneQueryRunner, TextBoxVariable, sceneGraph, sceneUtils } from '@grafana/scenes';
import { flowsUrl } from '../shared/appUrls';
import { buildFlowsScene } from './FlowsScene';

const target = { ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' } };

describe('Flows scene', () => {
  it('queries flows with every page filter, kinds included', () => {
    const scene = buildFlowsScene(target);
    const runner = sceneGraph.findObject(scene, (o) => o instanceof SceneQueryRunner) as SceneQueryRunner;
    expect(runner.state.queries).toEqual([
      expect.objectContaining({
        queryType: 'flows',
        namespace: '$namespace',
        pod: '$pod',
        service: '$service',
        search: '$search',
        kinds: ['$kinds'],
      }),
    ]);
  });

  it('opens on the filters of a link from another page', () => {
    const scene = buildFlowsScene(target);
    const url = flowsUrl({ namespace: 'shop', pod: 'checkout-1', kinds: ['drop', 'reset'] }, { from: 'now-5m', to: 'now' });
    sceneUtils.syncStateFromSearchParams(scene, new URL(url, 'http://grafana.local').searchParams);
    expect((sceneGraph.lookupVariable('kinds', scene) as CustomVariable).getValue()).toEqual(['drop', 'reset']);
    expect(sceneGraph.lookupVariable('pod', scene)?.getValue()).toBe('checkout-1');
    expect(sceneGraph.getTimeRange(scene).state.from).toBe('now-5m');
  });

  it('keeps the search text in the URL', () => {
    const scene = buildFlowsScene(target);
    (sceneGraph.lookupVariable('search', scene) as TextBoxVariable).setValue('NXDOMAIN');
    expect(sceneUtils.getUrlState(scene)).toMatchObject({ 'var-search': 'NXDOMAIN' });
  });
});
