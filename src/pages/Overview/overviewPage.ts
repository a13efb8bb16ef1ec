import { SceneAppPage } from '@grafana/scenes';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { findWiretraceDatasource } from '../../datasource/ref';
import { prefixRoute } from '../../utils/utils.routing';
import { missingDatasourceScene } from '../shared/MissingDatasource';
import { buildOverviewScene } from './OverviewScene';

const overview = {
  title: 'Overview',
  subTitle: 'Drops, failed spans with a network cause, DNS failures and TCP health.',
  getScene: () => {
    const target = findWiretraceDatasource();
    return target ? buildOverviewScene(target) : missingDatasourceScene();
  },
};

export const overviewPage = new SceneAppPage({
  ...overview,
  url: prefixRoute(ROUTES.Overview),
  routePath: ROUTES.Overview,
});

// The bare app URL (the app's menu entry, a typed address) shows the overview rather than a blank page.
export const appRootPage = new SceneAppPage({ ...overview, url: PLUGIN_BASE_URL, routePath: '' });
