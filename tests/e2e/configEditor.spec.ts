import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';

test.describe('config editor', () => {
  test('a new Wiretrace datasource saves its upstreams and reports each one on Save & test', async ({ createDataSourceConfigPage, page }) => {
    const configPage = await createDataSourceConfigPage({ type: 'wiretrace-correlation-datasource' });
    await page.getByTestId(testIds.configEditor.upstreamUrl('tempo')).fill('http://127.0.0.1:1');
    await page.getByTestId(testIds.configEditor.upstreamUrl('loki')).fill('http://127.0.0.1:2');
    await page.getByTestId(testIds.configEditor.upstreamAuth('loki')).getByLabel('Bearer token').check({ force: true });
    await expect(page.getByText('Token', { exact: true })).toBeVisible();
    // Nothing listens on these ports: the backend's health check names both upstreams as failing.
    await expect(configPage.saveAndTest()).not.toBeOK();
    await expect(page.getByText(/upstreams failing/)).toBeVisible();
  });

  test('the provisioned datasource shows a configured agent token without revealing it', async ({ gotoDataSourceConfigPage, page }) => {
    await gotoDataSourceConfigPage('wiretrace');
    await expect(page.getByTestId(testIds.configEditor.upstreamUrl('tempo'))).not.toHaveValue('');
    await expect(page.getByTestId(testIds.configEditor.agentUrls)).not.toHaveValue('');
  });
});
