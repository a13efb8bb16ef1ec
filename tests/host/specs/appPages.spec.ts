// The app's pages in the host, each showing what the backend returned for the checkout incident: the denied
// frontend → payments connection, the checkout trace it broke, and the traffic around it.
import { APP, expect, panel, test } from './hostFixtures';
import { testIds } from '../../../src/components/testIds';

test('overview: the denied pair and the failed span the drop explains', async ({
  page,
  open,
  scenario,
  saveScreenshot,
}) => {
  await open(`${APP}/overview`);
  const denied = panel(page, 'Top denied source → destination');
  await expect(denied).toContainText(`${scenario.frontend.namespace}/${scenario.frontend.name}`);
  await expect(denied).toContainText(`${scenario.payments.namespace}/payments`);
  const failed = panel(page, 'Failed spans with a network cause');
  await expect(failed).toContainText(scenario.dropId);
  await expect(failed).toContainText(scenario.failedTraceId);
  await expect(failed).toContainText(`connect ETIMEDOUT ${scenario.payments.ip}:8443`);
  const tcp = panel(page, 'TCP health by service pair: connections, resets, retransmits, RTT');
  await expect(tcp).toContainText(`${scenario.frontend.namespace}/catalog`);
  await expect(panel(page, 'Drop rate by policy')).toContainText('shop/payments-allow-checkout');
  await saveScreenshot('overview');
});

test('investigate a trace: the spans with the network events joined to them', async ({
  page,
  open,
  scenario,
  saveScreenshot,
}) => {
  await open(`${APP}/investigate?traceId=${scenario.failedTraceId}`);
  const trace = panel(page, 'Trace with network events');
  await expect(trace).toContainText(scenario.failedSpanId, { timeout: 60_000 });
  await expect(trace).toContainText('network drop: unanswered_syn');
  await expect(trace).toContainText(`connect ETIMEDOUT ${scenario.payments.ip}:8443`);
  // The failed payment span carries the drop's case as its network_case.
  await expect(trace).toContainText(`${APP}/investigate?drop=${scenario.dropId}`);
  await expect(panel(page, 'Policy explanation')).toContainText('shop/payments-allow-checkout');
  await saveScreenshot('investigate-trace');
});

test('investigate a drop: the case with the span it broke, the policy and the fix', async ({
  page,
  open,
  scenario,
  saveScreenshot,
}) => {
  await open(`${APP}/investigate?drop=${scenario.dropId}`);
  const headline = page.getByTestId(testIds.dropCase.headline);
  await expect(headline).toContainText('payments refused frontend', { timeout: 60_000 });
  await expect(headline).toContainText('shop/payments-allow-checkout');
  await expect(page.getByTestId(testIds.dropCase.span).first()).toContainText(
    `connect ETIMEDOUT ${scenario.payments.ip}:8443`
  );
  const fix = page.getByTestId(testIds.dropCase.fixYaml);
  await expect(fix).toContainText('kind: NetworkPolicy');
  await expect(fix).toContainText('port: 8443');
  await expect(fix).toContainText('app: frontend');
  await expect(page.getByTestId(testIds.dropCase.attempts)).toContainText('attempts');
  await saveScreenshot('investigate-drop');
});

test('investigate keeps its subject in the URL across a reload', async ({ page, open, scenario }) => {
  await open(`${APP}/investigate`);
  await page.getByLabel('Trace id or drop id').fill(scenario.dropId);
  await page.getByRole('button', { name: 'Investigate' }).click();
  await expect(page).toHaveURL(new RegExp(`drop=${scenario.dropId}`));
  await expect(page.getByTestId(testIds.dropCase.headline)).toContainText('payments refused frontend', {
    timeout: 60_000,
  });
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`drop=${scenario.dropId}`));
  await expect(page.getByTestId(testIds.dropCase.headline)).toContainText('payments refused frontend', {
    timeout: 60_000,
  });
});

test('topology: the pods as nodes and the denied edge', async ({ page, open, scenario, saveScreenshot }) => {
  await open(`${APP}/topology`);
  const graph = panel(page, 'Observed traffic');
  for (const node of ['shop/catalog', 'shop/payments', scenario.frontend.name]) {
    await expect(graph).toContainText(node);
  }
  await expect(graph).toContainText('shop/frontend-7d9f8c6b5->shop/payments');
  await expect(graph).toContainText('shop/frontend-7d9f8c6b5->shop/catalog');
  await saveScreenshot('topology');
});

test('flows: the drop and the connections, filtered from the URL and kept across a reload', async ({
  page,
  open,
  scenario,
  saveScreenshot,
}) => {
  await open(`${APP}/flows`);
  const flows = panel(page, 'Flows, drops and DNS');
  await expect(flows).toContainText('unanswered_syn');
  await expect(flows).toContainText(scenario.catalog.name);
  await saveScreenshot('flows');
  await open(`${APP}/flows?var-kinds=drop`);
  await expect(flows).toContainText(scenario.dropId);
  await expect(flows).not.toContainText(scenario.catalog.name);
  await page.reload();
  await expect(page).toHaveURL(/var-kinds=drop/);
  await expect(flows).toContainText(scenario.dropId);
  await expect(flows).not.toContainText(scenario.catalog.name);
});
