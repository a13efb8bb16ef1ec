import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { findWiretraceDatasource } from '../../datasource/ref';
import { prefixRoute } from '../../utils/utils.routing';
import { missingDatasourceScene } from '../shared/MissingDatasource';
import { buildInvestigateScene } from './buildInvestigateScene';

export const investigatePage = new SceneAppPage({
  title: 'Investigate',
  subTitle: 'One timeline for a trace or a drop: spans, network events, logs and the policy explanation.',
  url: prefixRoute(ROUTES.Investigate),
  routePath: ROUTES.Investigate,
  // Keep ?traceId= and ?drop= when the page is opened from the nav or a link.
  preserveUrlKeys: ['traceId', 'drop', 'from', 'to'],
  getScene: () => {
    const target = findWiretraceDatasource();
    return target ? buildInvestigateScene(target) : missingDatasourceScene();
  },
});
