import '../../test/installIntersectionObserver';
import { appRootPage, overviewPage } from './overviewPage';

test('the bare app URL has a page: the overview', () => {
  expect(appRootPage.state).toMatchObject({ url: '/a/wiretrace-correlation-app', routePath: '', title: 'Overview' });
  expect(appRootPage.state.getScene).toBe(overviewPage.state.getScene);
});
