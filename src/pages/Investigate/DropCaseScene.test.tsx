import '../../test/installIntersectionObserver';
import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { getDefaultTimeRange, LoadingState, toDataFrame, type DataFrame } from '@grafana/data';
import { SceneDataNode, SceneFlexItem, SceneFlexLayout, SceneQueryRunner, sceneGraph } from '@grafana/scenes';
import { testIds } from '../../components/testIds';
import { dropHeadline, readDropCase } from './dropCase';
import { DropCaseScene } from './DropCaseScene';
import { DropContextScene } from './DropContextScene';
import recorded from './testdata/dropCase.frames.json';

// Frames the backend's drops query answered for the scenario drop (backend/queries/caseFrames.record.test.ts).
const frames: DataFrame[] = recorded.drops.map((f) => toDataFrame(f));
const datasource = { type: 'wiretrace-correlation-datasource', uid: 'wiretrace' };

const answered = (series: DataFrame[]) =>
  new SceneDataNode({ data: { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() } });

const caseScene = (series: DataFrame[]) => new DropCaseScene({ dropId: recorded.dropId, $data: answered(series) });

describe('drop case', () => {
  it('reads the recorded drop: ends, explanation, fix and the span it broke', () => {
    const c = readDropCase(frames, recorded.dropId)!;
    expect(c.source).toEqual({ namespace: 'shop', pod: 'frontend-6b7d9c-x2k4p', ip: '10.244.1.17' });
    expect(c.destination).toMatchObject({ pod: 'payments-5f4d-q9z8r', service: 'payments', ip: '10.244.2.9' });
    expect(c.explanation?.ingress.allowed).toBe(false);
    expect(c.suggestions.map((s) => s.policy)).toEqual(['shop/payments-allow-frontend-8443-tcp']);
    expect(c.spans).toEqual([
      expect.objectContaining({ traceId: '0af7651916cd43dd8448eb211c80319c', service: 'frontend', confidence: 1 }),
    ]);
    expect(c.traceLinks.map((l) => l.internal?.datasourceUid)).toEqual(['tempo-uid']);
    expect(dropHeadline(c)).toBe(
      'payments refused frontend: NetworkPolicy shop/payments-allow-checkout selects payments for ingress and no rule allows app=frontend on 8443/TCP'
    );
  });

  it('shows the headline, the explained span with its links, both directions, the fix and the attempts', async () => {
    const scene = caseScene(frames);
    render(<scene.Component model={scene} />);
    expect(await screen.findByTestId(testIds.dropCase.headline)).toHaveTextContent(
      'payments refused frontend: NetworkPolicy shop/payments-allow-checkout selects payments for ingress'
    );
    const span = screen.getByTestId(testIds.dropCase.span);
    expect(span).toHaveTextContent('frontend · POST · connect ETIMEDOUT 10.96.14.2:8443 · confidence 100%');
    expect(span).toHaveTextContent("span errored 'connect ETIMEDOUT 10.96.14.2:8443' 3.0s after first SYN");
    const store = within(span).getByRole('link', { name: /Open trace in Tempo/ });
    expect(decodeURIComponent(store.getAttribute('href')!)).toContain('"query":"0af7651916cd43dd8448eb211c80319c"');
    expect(
      within(span)
        .getByRole('link', { name: /Investigate trace/ })
        .getAttribute('href')
    ).toContain('traceId=0af7651916cd43dd8448eb211c80319c');
    const [egress, ingress] = screen.getAllByTestId(testIds.dropCase.direction);
    expect(egress).toHaveTextContent('Egress of frontendallowed');
    expect(ingress).toHaveTextContent('Selected by: shop/default-deny, shop/payments-allow-checkout');
    expect(within(ingress).getByTestId(testIds.dropCase.unmatchedLabel)).toHaveTextContent('app=frontend');
    // Each rule of the selecting policies, with what did not match this connection marked.
    expect(
      within(ingress)
        .getAllByTestId(testIds.dropCase.rule)
        .map((r) => r.textContent)
    ).toEqual([
      'shop/default-denynone: admits nothingno peerno port',
      'shop/payments-allow-checkout1pods app=checkout in namespace shop8443/TCP',
    ]);
    expect(
      within(ingress)
        .getAllByTestId(testIds.dropCase.unmatchedRulePart)
        .map((m) => m.textContent)
    ).toEqual(['no peer', 'no port', 'pods app=checkout in namespace shop']);
    expect(screen.getByTestId(testIds.dropCase.fix)).toHaveTextContent(
      'create shop/payments-allow-frontend-8443-tcp: allow app=frontend (shop) into app=payments on 8443/TCP'
    );
    expect(screen.getByTestId(testIds.dropCase.fixYaml).textContent).toContain(
      'podSelector:\n    matchLabels:\n      app: payments'
    );
    expect(screen.getByTestId(testIds.dropCase.attempts)).toHaveTextContent('2.9 s later) · 4 attempts');
    // Each SYN retry with its time, from the agent's attempt times.
    expect(
      screen.getAllByTestId(testIds.dropCase.attempt).map((li) => /\(.*\)$/.exec(li.textContent ?? '')?.[0])
    ).toEqual(['(first SYN)', '(+1.0 s)', '(+2.0 s)', '(+2.9 s)']);
  });

  it('once the drop is read, looks up both pods’ logs and the connection’s events around it', () => {
    const scene = new DropContextScene({ dropId: recorded.dropId, datasource });
    new SceneFlexLayout({ $data: answered(frames), children: [new SceneFlexItem({ body: scene })] });
    const deactivate = scene.activate();
    const context = scene.state.body!;
    deactivate();
    const queries = sceneGraph
      .findAllObjects(context, (o) => o instanceof SceneQueryRunner)
      .flatMap((r) => (r as SceneQueryRunner).state.queries);
    expect(queries).toEqual([
      expect.objectContaining({ queryType: 'logs', namespace: 'shop', pod: 'frontend-6b7d9c-x2k4p' }),
      expect.objectContaining({ queryType: 'logs', namespace: 'shop', pod: 'payments-5f4d-q9z8r' }),
      expect.objectContaining({ queryType: 'flows', pod: 'frontend-6b7d9c-x2k4p', search: '10.244.2.9' }),
    ]);
    const window = sceneGraph.getTimeRange(context).state.value;
    expect(window.from.valueOf()).toBe(Math.floor(1763719200012.5 - 30_000));
  });

  it('says so when the drop is not in the answer', async () => {
    const scene = caseScene([]);
    render(<scene.Component model={scene} />);
    expect(await screen.findByText('Drop not found in this time range')).toBeInTheDocument();
  });
});
