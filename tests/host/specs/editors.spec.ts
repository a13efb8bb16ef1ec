// The datasource's two editors in the host: the config editor's Save & test answered by the backend's real
// CheckHealth against the scenario's upstreams, and the query editor running every query type through /api/ds/query.
import { QUERY_TYPES } from '../../../model/query';
import { testIds } from '../../../src/components/testIds';
import { expect, test } from './hostFixtures';

const SETTINGS = '/connections/datasources/edit/wiretrace';

// What each query type answers for the incident: a value the backend read from the agent, Jaeger or VictoriaLogs.
function expectedContent(
  type: string,
  s: { failedTraceId: string; dropId: string; frontend: { name: string } }
): string {
  switch (type) {
    case 'drops':
      return s.dropId;
    case 'traceNetwork':
      return 'network drop: unanswered_syn';
    case 'topology':
      return 'shop/payments';
    case 'flows':
      return s.frontend.name;
    case 'tcpHealth':
      return 'shop/payments';
    case 'logs':
      return 'checkout started';
    default:
      // dns and signals: the scenario makes no DNS lookups and trips no signal rule; their frames come back empty.
      return 'refId A';
  }
}

test('config editor: Save & test runs the backend health check against the real upstreams', async ({
  page,
  open,
  saveScreenshot,
}) => {
  await open(SETTINGS);
  const agentUrls = page.getByTestId(testIds.configEditor.agentUrls);
  await expect(agentUrls).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  await page.getByTestId('data-testid Data source settings page Save and Test button').click();
  const result = page.getByTestId('host-test-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  // One line per upstream, each answered by the scenario's peer or agent.
  await expect(result).toContainText('upstreams OK');
  await expect(result).toContainText('Jaeger: OK');
  await expect(result).toContainText('VictoriaLogs: OK');
  await expect(result).toContainText(/agent http:\/\/127\.0\.0\.1:\d+: OK/);
  await expect(result).not.toContainText(/fail|unreachable|error/i);
  await saveScreenshot('config-editor');
});

test('config editor: a saved agent URL nobody answers is named by the health check', async ({
  page,
  open,
  request,
  scenario,
  expectProblem,
}) => {
  // A failed health check answers 400, as Grafana's does; the browser logs the status.
  expectProblem(/status of 400 .*\/api\/datasources\/uid\/wiretrace\/health/);
  const original = await (await request.get(`${scenario.url}/api/datasources/uid/wiretrace`)).json();
  try {
    await open(SETTINGS);
    const agentUrls = page.getByTestId(testIds.configEditor.agentUrls);
    await agentUrls.fill('http://127.0.0.1:9');
    await agentUrls.blur();
    await page.getByTestId('data-testid Data source settings page Save and Test button').click();
    const result = page.getByTestId('host-test-result');
    await expect(result).toBeVisible({ timeout: 90_000 });
    await expect(result).toContainText('127.0.0.1:9');
    // Saved: the settings the host now serves carry the new URL.
    const saved = await (await request.get(`${scenario.url}/api/datasources/uid/wiretrace`)).json();
    expect(saved.jsonData.agentUrls).toEqual(['http://127.0.0.1:9']);
  } finally {
    const restored = await request.put(`${scenario.url}/api/datasources/uid/wiretrace`, {
      data: { name: original.name, url: original.url, jsonData: original.jsonData },
    });
    expect(restored.ok()).toBe(true);
  }
});

for (const type of QUERY_TYPES) {
  test(`query editor: ${type}`, async ({ page, open, scenario, saveScreenshot }) => {
    const query = {
      refId: 'A',
      queryType: type,
      ...(type === 'traceNetwork' || type === 'logs' ? { traceId: scenario.failedTraceId } : {}),
    };
    const panes = { a: { datasource: 'wiretrace', queries: [query], range: { from: 'now-1h', to: 'now' } } };
    await open(`/explore?panes=${encodeURIComponent(JSON.stringify(panes))}`);
    await expect(page.getByTestId('host-query-editor-row').getByTestId(testIds.queryEditor.queryType)).toBeVisible();
    await expect(page.getByTestId('host-query-state')).toHaveText('Done', { timeout: 90_000 });
    await expect(page.getByTestId('host-query-error')).toHaveCount(0);
    const results = page.getByTestId('host-panel-standin');
    await expect(results.getByTestId('host-frame').first()).toBeVisible();
    await expect(results).toContainText(expectedContent(type, scenario));
    await saveScreenshot(`query-editor-${type}`);
  });
}
