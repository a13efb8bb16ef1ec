import { EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneTimeRange } from '@grafana/scenes';
import type { WiretraceTarget } from '../../datasource/ref';
import { pageControls } from '../shared/pageControls';
import { InvestigateScene } from './InvestigateScene';

export function buildInvestigateScene(target: WiretraceTarget): EmbeddedScene {
  return new EmbeddedScene({
    $timeRange: new SceneTimeRange({ from: 'now-1h', to: 'now' }),
    controls: pageControls(),
    body: new SceneFlexLayout({
      direction: 'column',
      children: [new SceneFlexItem({ body: new InvestigateScene({ target }) })],
    }),
  });
}
