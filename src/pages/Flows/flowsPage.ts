import { SceneAppPage } from '@grafana/scenes';
import { prefixRoute } from '../../utils/utils.routing';
import { ROUTES } from '../../constants';
import { flowsScene } from './flowsScene';

export const flowsPage = new SceneAppPage({
  title: 'Flows',
  subTitle: 'Flows, drops and DNS exchanges the agents saw.',
  url: prefixRoute(ROUTES.Flows),
  routePath: ROUTES.Flows,
  getScene: () => flowsScene(),
});
