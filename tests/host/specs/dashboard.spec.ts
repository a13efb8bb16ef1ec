// The provisioned dashboard (dist/dashboards/) rendered through the same host, with the incident in its panels.
import { expect, panel, test } from './hostFixtures';

test('the provisioned dashboard shows the drop, its trace and the topology', async ({
  page,
  open,
  scenario,
  saveScreenshot,
}) => {
  await open('/d/wiretrace-network-traces');
  await expect(page.getByTestId('host-dashboard')).toBeVisible();
  const drops = panel(page, 'Drops with trace links');
  await expect(drops).toContainText(scenario.dropId, { timeout: 60_000 });
  await expect(drops).toContainText(scenario.failedTraceId);
  await expect(drops).toContainText('shop/payments-allow-checkout');
  await expect(panel(page, 'Failed spans with a network cause')).toContainText(
    `connect ETIMEDOUT ${scenario.payments.ip}:8443`
  );
  await expect(panel(page, 'Drop rate by policy')).toContainText('shop/payments-allow-checkout');
  await expect(panel(page, 'Topology')).toContainText('shop/payments');
  await saveScreenshot('dashboard');
});
