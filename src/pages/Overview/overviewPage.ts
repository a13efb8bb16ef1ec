import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute } from '../../utils/utils.routing';
import { ROUTES } from '../../constants';
import { overviewScene } from './overviewScene';

export const overviewPage = new SceneAppPage({
  title: 'Overview',
  subTitle: 'Drops, failed spans with a network cause, DNS failures and TCP health.',
  url: prefixRoute(ROUTES.Overview),
  routePath: ROUTES.Overview,
  getScene: () => overviewScene(),
});
