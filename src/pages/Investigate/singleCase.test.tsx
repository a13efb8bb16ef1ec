import '../../test/installIntersectionObserver';
import { getDefaultTimeRange, LoadingState, toDataFrame } from '@grafana/data';
import { SceneQueryRunner, sceneGraph, sceneUtils } from '@grafana/scenes';
import { buildInvestigateScene } from './buildInvestigateScene';
import { singleExplainedDrop } from './dropCase';
import { InvestigateScene } from './InvestigateScene';
import recorded from './testdata/dropCase.frames.json';

const target = { ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' }, tempoUid: 'tempo' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';

function open(search: string) {
  const page = buildInvestigateScene(target);
  sceneUtils.syncStateFromSearchParams(page, new URLSearchParams(search));
  const investigate = sceneGraph.findObject(page, (o) => o instanceof InvestigateScene) as InvestigateScene;
  const traceDrops = sceneGraph
    .findAllObjects(investigate.state.body!, (o) => o instanceof SceneQueryRunner)
    .find((r) => (r as SceneQueryRunner).state.queries[0].queryType === 'drops') as SceneQueryRunner;
  const answer = (frames: Array<ReturnType<typeof toDataFrame>>) =>
    traceDrops.setState({ data: { state: LoadingState.Done, series: frames, timeRange: getDefaultTimeRange() } });
  return { page, investigate, answer };
}

const oneDrop = recorded.drops.map((f) => toDataFrame(f));

describe('a trace opened from its header link (case=single)', () => {
  it('opens the case of the one drop that explains it', () => {
    const { page, investigate, answer } = open(`traceId=${TRACE}&case=single`);
    expect(investigate.state.openSingleCase).toBe(true);
    answer(oneDrop);
    expect(investigate.state.drop).toBe(recorded.dropId);
    expect(investigate.state.traceId).toBeUndefined();
    expect(sceneUtils.getUrlState(page)).toMatchObject({ drop: recorded.dropId });
  });

  it('stays on the trace when no drop, or several, explain it', () => {
    const none = open(`traceId=${TRACE}&case=single`);
    none.answer([]);
    expect(none.investigate.state).toMatchObject({ traceId: TRACE, drop: undefined, openSingleCase: false });
    expect(
      singleExplainedDrop([toDataFrame({ name: 'drops', fields: [{ name: 'drop_id', values: ['a', 'b'] }] })])
    ).toBe(undefined);
  });

  it('stays on the trace when opened without case=single', () => {
    const { investigate, answer } = open(`traceId=${TRACE}`);
    answer(oneDrop);
    expect(investigate.state.traceId).toBe(TRACE);
  });
});
