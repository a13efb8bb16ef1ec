import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { findWiretraceDatasource } from '../../datasource/ref';
import { prefixRoute } from '../../utils/utils.routing';
import { missingDatasourceScene } from '../shared/MissingDatasource';
import { buildFlowsScene } from './FlowsScene';

export const flowsPage = new SceneAppPage({
  title: 'Flows',
  subTitle: 'Flows, drops and DNS exchanges the agents saw.',
  url: prefixRoute(ROUTES.Flows),
  routePath: ROUTES.Flows,
  getScene: () => {
    const target = findWiretraceDatasource();
    return target ? buildFlowsScene(target) : missingDatasourceScene();
  },
});
