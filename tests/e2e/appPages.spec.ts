import { testIds } from '../../src/components/testIds';
import { expect, test } from './fixtures';

test.describe('app pages', () => {
  test('overview shows every panel and the page filters', async ({ gotoPage, page }) => {
    await gotoPage('/overview');
    for (const title of ['Drops by reason', 'Drop rate by policy', 'Top denied source → destination', 'Failed spans with a network cause', 'DNS failures']) {
      await expect(page.getByText(title, { exact: true })).toBeVisible();
    }
    await expect(page.getByText('Namespace', { exact: true }).first()).toBeVisible();
  });

  test('overview keeps its filters in the URL', async ({ gotoPage, page }) => {
    await gotoPage('/overview?var-namespace=demo&from=now-15m&to=now');
    await expect(page).toHaveURL(/var-namespace=demo/);
    await expect(page).toHaveURL(/from=now-15m/);
  });

  test('investigate starts empty and opens a trace from the URL', async ({ gotoPage, page }) => {
    await gotoPage('/investigate');
    await expect(page.getByTestId(testIds.pages.investigateEmpty)).toBeVisible();
    await page.getByLabel('Trace id or drop id').fill('4bf92f3577b34da6a3ce929d0e0e4736');
    await page.getByRole('button', { name: 'Investigate' }).click();
    await expect(page).toHaveURL(/traceId=4bf92f3577b34da6a3ce929d0e0e4736/);
    await expect(page.getByText('Trace with network events')).toBeVisible();
    await expect(page.getByText('Logs of this trace')).toBeVisible();
  });

  test('investigate names input that is neither a trace nor a drop', async ({ gotoPage, page }) => {
    await gotoPage('/investigate');
    await page.getByLabel('Trace id or drop id').fill('payments-is-down');
    await page.getByRole('button', { name: 'Investigate' }).click();
    await expect(page.getByText('"payments-is-down" is neither a trace id (1–32 hex digits) nor a drop id')).toBeVisible();
  });

  test('topology draws the node graph', async ({ gotoPage, page }) => {
    await gotoPage('/topology');
    await expect(page.getByText('Observed traffic', { exact: true })).toBeVisible();
  });

  test('flows opens with the filters of a link', async ({ gotoPage, page }) => {
    await gotoPage('/flows?var-namespace=demo&var-kinds=drop&var-search=payments');
    await expect(page.getByText('Flows, drops and DNS', { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/var-search=payments/);
  });
});
