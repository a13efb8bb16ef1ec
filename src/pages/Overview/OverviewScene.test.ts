import '../../test/installIntersectionObserver';
import {
  QueryVariable,
  SceneDataTransformer,
  SceneQueryRunner,
  sceneGraph,
  sceneUtils,
  VizPanel,
} from '@grafana/scenes';
import { buildOverviewScene } from './OverviewScene';

const target = { ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' } };

function panelQueries(root: ReturnType<typeof buildOverviewScene>): Record<string, Array<Record<string, unknown>>> {
  const result: Record<string, Array<Record<string, unknown>>> = {};
  for (const panel of sceneGraph.findAllObjects(root, (o) => o instanceof VizPanel) as VizPanel[]) {
    // A transformer without $data reads the closest ancestor's data, as the scene does at run time.
    let data = panel.state.$data instanceof SceneDataTransformer ? panel.state.$data.state.$data : panel.state.$data;
    if (!data) {
      data = sceneGraph.getData(panel.parent!);
    }
    result[panel.state.title] = data instanceof SceneQueryRunner ? data.state.queries : [];
  }
  return result;
}

describe('Overview scene', () => {
  it('has one panel per question, each reading the page filters', () => {
    const queries = panelQueries(buildOverviewScene(target));
    expect(Object.keys(queries)).toEqual([
      'Drops',
      'Drops by reason',
      'Drop rate by policy',
      'Top denied source → destination',
      'Failed spans with a network cause',
      'DNS failures',
      'TCP health by service pair',
      'TCP health by service pair: connections, resets, retransmits, RTT',
      'Security signals',
      'Recent security signals',
    ]);
    expect(queries['Drops by reason']).toEqual([
      expect.objectContaining({
        queryType: 'drops',
        asTimeSeries: true,
        groupBy: 'reason',
        namespace: '$namespace',
        pod: '$pod',
      }),
    ]);
    expect(queries['Drop rate by policy'][0]).toMatchObject({ groupBy: 'policy' });
    // The Drops stat reads the by-reason answer: one query, not two.
    expect(queries['Drops']).toBe(queries['Drops by reason']);
    expect(queries['Top denied source → destination']).toEqual(queries['Failed spans with a network cause']);
    expect(queries['Failed spans with a network cause'][0]).toMatchObject({
      queryType: 'drops',
      namespace: '$namespace',
    });
    expect(queries['DNS failures'][0]).toMatchObject({ queryType: 'dns', namespace: '$namespace' });
    expect(queries['TCP health by service pair'][0]).toMatchObject({ queryType: 'tcpHealth', asTimeSeries: true });
    // One signals query feeds the summary and the list.
    expect(queries['Security signals']).toBe(queries['Recent security signals']);
    expect(queries['Security signals']).toEqual([
      expect.objectContaining({ queryType: 'signals', namespace: '$namespace', pod: '$pod' }),
    ]);
  });

  it('takes its filters and time range from the URL and writes them back', () => {
    const scene = buildOverviewScene(target);
    sceneUtils.syncStateFromSearchParams(
      scene,
      new URLSearchParams('var-namespace=shop&var-pod=checkout-1&from=now-15m&to=now')
    );
    const namespace = sceneGraph.lookupVariable('namespace', scene) as QueryVariable;
    expect(namespace.getValue()).toBe('shop');
    expect(sceneGraph.getTimeRange(scene).state.from).toBe('now-15m');
    expect(sceneUtils.getUrlState(scene)).toMatchObject({
      'var-namespace': 'shop',
      'var-pod': 'checkout-1',
      from: 'now-15m',
    });
  });

  it('scopes the pod variable to the chosen namespace and sends All as no filter', () => {
    const scene = buildOverviewScene(target);
    const pod = sceneGraph.lookupVariable('pod', scene) as QueryVariable;
    expect(pod.state.query).toBe('pods?namespace=$namespace');
    expect(pod.state.allValue).toBe('*');
    expect(pod.state.datasource).toEqual(target.ref);
  });
});
