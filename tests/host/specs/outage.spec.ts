// What a user sees when the backend executable is down or a datasource is missing: a message that says so, and the
// pages back with data once the backend is up again.
import { APP, expect, panel, test } from './hostFixtures';

const NOT_RUNNING = 'plugin unavailable: the backend executable is not running';

test('a stopped backend is named on the panels and by Save & test, and the pages recover when it is back', async ({
  page,
  open,
  request,
  scenario,
  expectProblem,
  saveScreenshot,
}) => {
  // Every query and resource call answers 503 while the executable is down; the browser logs each status.
  expectProblem(/status of 503/);
  // Scenes logs the filter variables' failed lookups, with the message.
  expectProblem(/SceneVariableSet updateAndValidate error .*backend executable is not running/);
  const stopped = await request.post(`${scenario.url}/api/host/plugin/stop`);
  expect(stopped.ok()).toBe(true);
  try {
    await open(`${APP}/overview`);
    const failed = panel(page, 'Failed spans with a network cause');
    const status = failed.getByRole('button', { name: 'Panel status' });
    await expect(status).toBeVisible({ timeout: 60_000 });
    await status.hover();
    await expect(page.getByRole('tooltip')).toContainText(NOT_RUNNING);
    await saveScreenshot('backend-down');

    await open('/connections/datasources/edit/wiretrace');
    await page.getByTestId('data-testid Data source settings page Save and Test button').click();
    await expect(page.getByTestId('host-test-result')).toContainText(NOT_RUNNING, { timeout: 60_000 });
  } finally {
    const started = await request.post(`${scenario.url}/api/host/plugin/start`);
    expect(started.ok()).toBe(true);
  }
  await open(`${APP}/overview`);
  await expect(panel(page, 'Failed spans with a network cause')).toContainText(scenario.dropId, { timeout: 60_000 });
});

test('a link to a datasource that does not exist says so', async ({ page, open }) => {
  const panes = { a: { datasource: 'no-such-uid', queries: [{ refId: 'A' }], range: { from: 'now-1h', to: 'now' } } };
  await open(`/explore?panes=${encodeURIComponent(JSON.stringify(panes))}`);
  await expect(page.getByTestId('host-explore-missing-datasource')).toContainText(
    'No datasource with uid “no-such-uid” exists'
  );
});
