import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute } from '../../utils/utils.routing';
import { ROUTES } from '../../constants';
import { topologyScene } from './topologyScene';

export const topologyPage = new SceneAppPage({
  title: 'Topology',
  subTitle: 'Observed traffic between workloads, coloured by health.',
  url: prefixRoute(ROUTES.Topology),
  routePath: ROUTES.Topology,
  getScene: () => topologyScene(),
});
