import '../../test/installIntersectionObserver';
import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { SceneQueryRunner, sceneGraph, sceneUtils, VizPanel } from '@grafana/scenes';
import { testIds } from '../../components/testIds';
import { buildInvestigateScene } from './buildInvestigateScene';
import { InvestigateScene } from './InvestigateScene';

const target = {
  ref: { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' },
  tempoUid: 'tempo',
  lokiUid: 'loki',
};

function investigateOf(root: ReturnType<typeof buildInvestigateScene>): InvestigateScene {
  const found = sceneGraph.findObject(root, (o) => o instanceof InvestigateScene);
  if (!(found instanceof InvestigateScene)) {
    throw new Error('no InvestigateScene in the page');
  }
  return found;
}

function queriesOf(investigate: InvestigateScene): Array<Record<string, unknown>> {
  const body = investigate.state.body;
  if (!body) {
    return [];
  }
  return sceneGraph
    .findAllObjects(body, (o) => o instanceof SceneQueryRunner)
    .flatMap((runner) => (runner as SceneQueryRunner).state.queries);
}

describe('InvestigateScene', () => {
  it('reads ?traceId= from the URL, normalises it and queries the trace, its network events and its logs', () => {
    const page = buildInvestigateScene(target);
    sceneUtils.syncStateFromSearchParams(page, new URLSearchParams('traceId=ABC123&from=now-6h&to=now'));
    const investigate = investigateOf(page);
    expect(investigate.state.traceId).toBe('ABC123');
    const queries = queriesOf(investigate);
    // One query answers with the trace, its logs and its network events.
    // One query answers with the trace, its logs and its network events; the drops query explains the matches.
    expect(queries).toEqual([
      expect.objectContaining({ queryType: 'traceNetwork', traceId: '00000000000000000000000000abc123' }),
      expect.objectContaining({ queryType: 'drops', traceId: '00000000000000000000000000abc123' }),
    ]);
    const panels = sceneGraph.findAllObjects(investigate.state.body!, (o) => o instanceof VizPanel) as VizPanel[];
    expect(panels.map((p) => p.state.pluginId)).toEqual(['traces', 'table', 'table', 'table', 'logs']);
    expect(sceneGraph.getTimeRange(page).state.from).toBe('now-6h');
  });

  it('moves the time range around a pasted drop id', () => {
    const page = buildInvestigateScene(target);
    investigateOf(page).investigate('1763720000123456-10.0.1.5-10.0.2.7-8080');
    const range = sceneGraph.getTimeRange(page).state.value;
    expect(range.from.valueOf()).toBe(1763720000123 - 300000);
    expect(range.to.valueOf()).toBe(1763720000123 + 300000);
    expect(sceneUtils.getUrlState(page)).toMatchObject({ drop: '1763720000123456-10.0.1.5-10.0.2.7-8080' });
  });

  it('writes what the user investigates back to the URL', () => {
    const page = buildInvestigateScene(target);
    investigateOf(page).investigate(' 4BF92F3577B34DA6A3CE929D0E0E4736 ');
    expect(sceneUtils.getUrlState(page)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it('opens the case of a drop from ?drop= with one drops query filtered to that drop', () => {
    const page = buildInvestigateScene(target);
    const drop = '1763720000123456-10.0.1.5-10.0.2.7-8080';
    sceneUtils.syncStateFromSearchParams(page, new URLSearchParams({ drop }));
    const investigate = investigateOf(page);
    expect(investigate.state.drop).toBe(drop);
    // One drops query, narrowed to this drop; the logs and events around it wait until the drop names its pods.
    expect(queriesOf(investigate)).toEqual([expect.objectContaining({ queryType: 'drops', dropId: drop })]);
  });

  it('shows the empty state, and names the problem with input that is neither a trace nor a drop', async () => {
    const page = buildInvestigateScene(target);
    const investigate = investigateOf(page);
    render(<investigate.Component model={investigate} />);
    expect(screen.getByTestId(testIds.pages.investigateEmpty)).toBeInTheDocument();
    const input = screen.getByLabelText('Trace id or drop id');
    fireEvent.change(input, { target: { value: 'payments-is-down' } });
    fireEvent.submit(input.closest('form')!);
    expect(
      await screen.findByText('"payments-is-down" is neither a trace id (1–32 hex digits) nor a drop id')
    ).toBeInTheDocument();
    expect(investigate.state.body).toBeUndefined();
  });
});
