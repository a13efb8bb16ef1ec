import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { findWiretraceDatasource } from '../../datasource/ref';
import { prefixRoute } from '../../utils/utils.routing';
import { missingDatasourceScene } from '../shared/MissingDatasource';
import { buildOverviewScene } from './OverviewScene';

export const overviewPage = new SceneAppPage({
  title: 'Overview',
  subTitle: 'Drops, failed spans with a network cause, DNS failures and TCP health.',
  url: prefixRoute(ROUTES.Overview),
  routePath: ROUTES.Overview,
  getScene: () => {
    const target = findWiretraceDatasource();
    return target ? buildOverviewScene(target) : missingDatasourceScene();
  },
});
