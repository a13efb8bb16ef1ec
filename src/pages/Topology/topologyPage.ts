import { SceneAppPage } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { findWiretraceDatasource } from '../../datasource/ref';
import { prefixRoute } from '../../utils/utils.routing';
import { missingDatasourceScene } from '../shared/MissingDatasource';
import { buildTopologyScene } from './TopologyScene';

export const topologyPage = new SceneAppPage({
  title: 'Topology',
  subTitle: 'Observed traffic between workloads, coloured by health.',
  url: prefixRoute(ROUTES.Topology),
  routePath: ROUTES.Topology,
  getScene: () => {
    const target = findWiretraceDatasource();
    return target ? buildTopologyScene(target) : missingDatasourceScene();
  },
});
