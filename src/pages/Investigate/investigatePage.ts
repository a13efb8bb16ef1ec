import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute } from '../../utils/utils.routing';
import { ROUTES } from '../../constants';
import { investigateScene } from './investigateScene';

export const investigatePage = new SceneAppPage({
  title: 'Investigate',
  subTitle: 'One timeline for a trace or a drop: spans, network events, logs and the policy explanation.',
  url: prefixRoute(ROUTES.Investigate),
  routePath: ROUTES.Investigate,
  getScene: () => investigateScene(),
});
