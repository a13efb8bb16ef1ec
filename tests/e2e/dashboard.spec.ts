import { DASHBOARD_UID, expect, test } from './fixtures';

test.describe('provisioned dashboard', () => {
  test('Network ↔ Traces has its panels', async ({ gotoDashboardPage, page }) => {
    await gotoDashboardPage({ uid: DASHBOARD_UID });
    for (const title of ['Drops with trace links', 'Drop rate by policy', 'Failed spans with a network cause', 'Topology', 'TCP health by service pair', 'DNS errors']) {
      await expect(page.getByText(title, { exact: true })).toBeVisible();
    }
  });

  test('the Tempo correlation to Wiretrace is provisioned with a description', async ({ request }) => {
    const response = await request.get('/api/datasources/uid/tempo/correlations');
    expect(response.ok()).toBeTruthy();
    const body = await response.json();
    const correlations: Array<{ targetUID: string; description?: string; config?: { type?: string; target?: { queryType?: string } } }> =
      body.correlations ?? body;
    const toWiretrace = correlations.find((c) => c.targetUID === 'wiretrace');
    expect(toWiretrace?.description).toBeTruthy();
    expect(toWiretrace?.config?.type).toBe('query');
    expect(toWiretrace?.config?.target?.queryType).toBe('traceNetwork');
  });
});
